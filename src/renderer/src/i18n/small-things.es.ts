/** Small texts of issue 15's last list: fixed password, plural counts. */
export default {
  passwordFixed: {
    body: 'Esta contraseña la fija la variable de entorno del servidor, así que no se puede cambiar aquí:',
    how: 'Para cambiarla, cambia esa variable y reinicia el servidor (o quítala para poder cambiarla desde aquí).'
  }
}
