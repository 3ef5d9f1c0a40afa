import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { setUnauthorizedHandler } from './api/client'
import { applyDocumentLocale, i18n } from './i18n'
import { createAppRouter } from './router'
import { useSessionStore } from './stores/session'
import './styles/index.css'

const app = createApp(App)
const pinia = createPinia()
const router = createAppRouter()
app.use(pinia).use(i18n).use(router)
applyDocumentLocale()

// Any 401 from the admin API means the session is gone: back to the login page, and back here
// after signing in again.
setUnauthorizedHandler(() => {
  useSessionStore(pinia).markSignedOut()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({
      name: 'login',
      query: current.fullPath === '/' ? {} : { redirect: current.fullPath }
    })
  }
})

app.mount('#app')
