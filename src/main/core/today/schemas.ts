import { todayResponseSchema } from '../../../shared/today-schemas'

export {
  HEALTH,
  todayResponseSchema,
  type Health,
  type TodayDevice,
  type TodayResponse
} from '../../../shared/today-schemas'

export const todayOperations = [
  {
    method: 'get' as const,
    path: '/api/admin/today',
    summary:
      "The home page in one call: per dispenser today's doses (taken, pending, missed, upcoming), the next dose, open alerts and health",
    tag: 'admin' as const,
    responses: { 200: { description: 'Today', schema: todayResponseSchema } }
  }
]
