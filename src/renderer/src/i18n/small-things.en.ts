/** Small texts of issue 15's last list: fixed password, plural counts. */
export default {
  passwordFixed: {
    body: "This password is set by the server's environment variable, so it cannot be changed here:",
    how: 'To change it, change that variable and restart the server (or remove it to change the password here).'
  }
}
