import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The core must run headless and in tests, so the lint rule that keeps Electron out of it is part
// of the architecture; this checks the rule really fires.
describe('lint rule: the core never imports electron', () => {
  const eslint = new ESLint()

  it.each([
    ["import { app } from 'electron'\nexport const a = app\n", 'src/main/core/devices/x.ts'],
    ["import { ipcMain } from 'electron/main'\nexport const a = ipcMain\n", 'src/main/core/x.ts'],
    ["import { app } from 'electron'\nexport const a = app\n", 'src/shared/x.ts']
  ])('flags %j in %s', async (code, filePath) => {
    const [result] = await eslint.lintText(code, { filePath })
    expect(result!.messages.map((m) => m.ruleId)).toContain('no-restricted-imports')
  })

  it('allows electron in the shell', async () => {
    const [result] = await eslint.lintText(
      "import { app } from 'electron'\nexport const a = app\n",
      {
        filePath: 'src/main/desktop/x.ts'
      }
    )
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([])
  })
})
