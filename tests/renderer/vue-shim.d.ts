// Vue single-file components imported by tests type-check under tsconfig.node.json (no vue-tsc
// there): the component's own types are checked by vue-tsc with the renderer.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
