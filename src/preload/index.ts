// The desktop bridge is filled in by the desktop-shell work; it never exposes ipcRenderer.
export {}
