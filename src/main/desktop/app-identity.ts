/**
 * Must equal `appId` in electron-builder.yml: Windows only shows toasts from an app whose
 * AppUserModelID matches its Start-menu shortcut, which the NSIS installer creates with appId.
 */
export const APP_ID = 'org.pastillero.desktop'
