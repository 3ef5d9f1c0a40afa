import { todayResponseSchema } from '../../../shared/today-schemas'
import type { ApiOperation } from '../lib/api-operation'

export {
  HEALTH,
  todayResponseSchema,
  type Health,
  type TodayDevice,
  type TodayResponse
} from '../../../shared/today-schemas'

export const todayOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/today',
    summary:
      "The home page in one call: per dispenser today's doses (taken, pending, missed, upcoming), the next dose, open alerts and health",
    tag: 'admin',
    responses: { 200: { description: 'Today', schema: todayResponseSchema } }
  }
]
