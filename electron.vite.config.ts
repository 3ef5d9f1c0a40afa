import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// One build produces three bundles: the main process (plus the headless CLI entry, which shares
// the core), the sandboxed preload (CommonJS, as sandboxed preloads must be) and the Vue renderer
// that the core serves over HTTP to the Electron window and to any browser on the LAN.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          headless: resolve(__dirname, 'src/main/headless.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: {
      alias: {
        '@renderer': resolve(__dirname, 'src/renderer/src'),
        '@shared': resolve(__dirname, 'src/shared')
      }
    },
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    },
    plugins: [
      vue(),
      {
        // electron-vite sets base './' for file:// windows; our window loads the core over HTTP,
        // like any browser, so absolute asset URLs keep deep links (/devices/…) working on reload.
        name: 'pastillero:absolute-base',
        enforce: 'post',
        config: () => ({ base: '/' })
      }
    ]
  }
})
