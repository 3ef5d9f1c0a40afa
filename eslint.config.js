import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'firmware/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'vue/multi-word-component-names': 'off',
      // TypeScript already checks undefined names, with the right globals per tsconfig.
      'no-undef': 'off'
    }
  },
  {
    // Tests read JSON bodies whose shape each assertion checks.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // The core runs headless, in tests and on a Raspberry Pi: it must never depend on Electron.
    files: ['src/main/core/**', 'src/shared/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The core must not import electron (see design.md).' }
          ],
          patterns: [{ group: ['electron/*'], message: 'The core must not import electron.' }]
        }
      ]
    }
  },
  prettier
)
