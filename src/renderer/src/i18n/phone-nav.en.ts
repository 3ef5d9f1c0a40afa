/** The phone's bottom bar (AppNav.vue at ≤ 600 px). */
export default {
  phoneNav: {
    label: 'Sections',
    more: 'More',
    moreTitle: 'More sections',
    docs: 'API documentation'
  }
}
