import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type Router
} from 'vue-router'
import { useSessionStore } from './stores/session'
import AdherenceView from './views/AdherenceView.vue'
import AlertsView from './views/AlertsView.vue'
import DeviceDetailView from './views/DeviceDetailView.vue'
import DevicesView from './views/DevicesView.vue'
import FirmwareView from './views/FirmwareView.vue'
import HistoryView from './views/HistoryView.vue'
import LoginView from './views/LoginView.vue'
import NotFoundView from './views/NotFoundView.vue'
import ReportView from './views/ReportView.vue'
import SchedulesView from './views/SchedulesView.vue'
import SettingsView from './views/SettingsView.vue'
import TodayView from './views/TodayView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean
    /** i18n key of the page title. */
    titleKey?: string
  }
}

/** Main navigation: every item is a route below. */
export const NAV_ITEMS = [
  { key: 'today', route: 'today' },
  { key: 'devices', route: 'devices' },
  { key: 'history', route: 'history' },
  { key: 'alerts', route: 'alerts' },
  { key: 'schedules', route: 'schedules' },
  { key: 'adherence', route: 'adherence' },
  { key: 'firmware', route: 'firmware' },
  { key: 'settings', route: 'settings' }
] as const

/**
 * The phone's bottom bar (≤ 600 px): the four sections a family uses most, "Hoy" (the home page)
 * first; the rest is under "Más".
 */
export const PHONE_BAR_ITEMS = ['today', 'alerts', 'schedules', 'adherence'] as const

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', redirect: { name: 'today' } },
      {
        path: '/today',
        name: 'today',
        component: TodayView,
        meta: { titleKey: 'today.title' }
      },
      {
        path: '/login',
        name: 'login',
        component: LoginView,
        meta: { public: true, titleKey: 'login.title' }
      },
      {
        path: '/devices',
        name: 'devices',
        component: DevicesView,
        meta: { titleKey: 'devices.title' }
      },
      {
        // One path segment only: electron-vite builds with base './', so the page's asset URLs
        // are relative and a reload of /devices/<id> would fetch /devices/assets/… and break.
        path: '/device',
        name: 'device',
        component: DeviceDetailView,
        props: (route) => ({ id: typeof route.query.id === 'string' ? route.query.id : '' }),
        meta: { titleKey: 'devices.title' }
      },
      {
        path: '/history',
        name: 'history',
        component: HistoryView,
        meta: { titleKey: 'history.title' }
      },
      {
        path: '/schedules',
        name: 'schedules',
        component: SchedulesView,
        meta: { titleKey: 'schedules.title' }
      },
      {
        path: '/adherence',
        name: 'adherence',
        component: AdherenceView,
        meta: { titleKey: 'adherence.title' }
      },
      {
        // The printable report: ?device_id=…&month=YYYY-MM, or &from=…&to=… (local dates).
        path: '/report',
        name: 'report',
        component: ReportView,
        meta: { titleKey: 'report.title' }
      },
      {
        path: '/alerts',
        name: 'alerts',
        component: AlertsView,
        meta: { titleKey: 'alerts.title' }
      },
      {
        path: '/firmware',
        name: 'firmware',
        component: FirmwareView,
        meta: { titleKey: 'firmware.title' }
      },
      {
        path: '/settings',
        name: 'settings',
        component: SettingsView,
        meta: { titleKey: 'settings.title' }
      },
      {
        path: '/:pathMatch(.*)*',
        name: 'not-found',
        component: NotFoundView,
        meta: { titleKey: 'notFound.title' }
      }
    ]
  })

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const session = useSessionStore()
    if (session.signedIn === null) {
      try {
        await session.check()
      } catch {
        // Server unreachable: the login page explains and offers a retry.
        return to.meta.public ? true : { name: 'login', query: { redirect: to.fullPath } }
      }
    }
    if (!to.meta.public && !session.signedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
    }
    if (to.name === 'login' && session.signedIn) {
      const redirect = typeof to.query.redirect === 'string' ? to.query.redirect : ''
      return redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : { name: 'today' }
    }
    return true
  })

  return router
}
