import { join } from 'node:path'

export interface DesktopPaths {
  /** The sandboxed preload bundle (CommonJS). */
  preload: string
  /** The built dashboard the core serves. */
  renderer: string
  trayIcon: string
  windowIcon: string
}

/**
 * Where the shell's files are. `bundleDir` is out/main (next to out/preload and out/renderer);
 * `appPath` is the app root (the project in development, app.asar when packaged).
 */
export function desktopPaths(
  bundleDir: string,
  appPath: string,
  platform: NodeJS.Platform = process.platform
): DesktopPaths {
  // Runtime images are listed in electron-builder.yml's asarUnpack: the OS tray reads the file
  // itself on some Linux desktops, and it cannot look inside app.asar.
  const image = (name: string) =>
    join(appPath, 'build', 'runtime', name).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
  return {
    preload: join(bundleDir, '..', 'preload', 'index.cjs'),
    renderer: join(bundleDir, '..', 'renderer'),
    // macOS menu bar icons are black "template" images the system tints for light/dark mode.
    trayIcon: image(platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    windowIcon: image('window.png')
  }
}
