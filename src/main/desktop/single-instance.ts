import { app } from 'electron'

/**
 * One Pastillero per user: a second copy would fight the first for the port and the database.
 * Launching it again (from the menu, a desktop icon) brings the running window forward instead.
 */
export class SingleInstance {
  constructor(private readonly onSecondInstance: () => void) {}

  /** False when another instance runs; this one is then already quitting. */
  acquire(): boolean {
    if (!app.requestSingleInstanceLock()) {
      app.quit()
      return false
    }
    app.on('second-instance', () => this.onSecondInstance())
    return true
  }
}
