import { editableSettingsSchema, settingsViewSchema } from '../../../shared/api-schemas'
import type { ApiOperation } from '../lib/api-operation'

export const editableSettingsPatchSchema = editableSettingsSchema.partial().strict()

/** OpenAPI operations for settings/settings-routes.ts (assembled by http/openapi.ts). */
export const settingsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/settings',
    summary: 'Settings, device key and server address',
    tag: 'admin',
    responses: { 200: { description: 'Settings', schema: settingsViewSchema } }
  },
  {
    method: 'patch',
    path: '/api/admin/settings',
    summary: 'Change settings',
    tag: 'admin',
    body: editableSettingsSchema.partial(),
    responses: { 200: { description: 'Settings', schema: settingsViewSchema } }
  }
]
