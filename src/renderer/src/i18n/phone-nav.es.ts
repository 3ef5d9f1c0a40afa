/** The phone's bottom bar (AppNav.vue at ≤ 600 px). */
export default {
  phoneNav: {
    label: 'Secciones',
    more: 'Más',
    moreTitle: 'Más secciones',
    docs: 'Documentación de la API'
  }
}
