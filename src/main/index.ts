import { app, BrowserWindow } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCore } from './core/core'
import { environmentWithDotenv } from './core/lib/dotenv'

const here = dirname(fileURLToPath(import.meta.url))

async function onReady(): Promise<void> {
  const core = createCore({
    env: environmentWithDotenv(join(process.cwd(), '.env')),
    defaultDataDir: app.getPath('userData'),
    staticDir: join(here, '../renderer')
  })
  await core.start()
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true
    }
  })
  await win.loadURL(core.url)
  app.on('before-quit', () => void core.stop())
}

app.whenReady().then(onReady, (err: unknown) => {
  console.error(err)
  app.quit()
})
