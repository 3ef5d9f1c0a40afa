/**
 * Checks a JSON value against the JSON Schema subset the OpenAPI document uses (what zod's
 * toJSONSchema emits for target openapi-3.0): type, nullable, enum, const, properties, required,
 * additionalProperties, items, anyOf/oneOf, min/max, lengths and pattern. Returns every mismatch
 * as "path: problem"; an empty list means the value fits. An unknown keyword is reported, so a
 * schema this cannot read fails loudly instead of passing.
 */
type Schema = Record<string, unknown>

const KNOWN = new Set([
  'type',
  'nullable',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'format',
  'description',
  'default',
  'title',
  'examples',
  'example',
  'readOnly',
  'deprecated'
])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

export function schemaErrors(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = []
  for (const key of Object.keys(schema))
    if (!KNOWN.has(key)) errors.push(`${path}: the check does not understand "${key}"`)
  if (value === null && schema.nullable === true) return errors
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (alternatives) {
    const fits = alternatives.some((alt) => schemaErrors(alt, value, path).length === 0)
    if (!fits) errors.push(`${path}: fits none of ${alternatives.length} alternatives`)
  }
  const actual = typeOf(value)
  const types = ([] as unknown[]).concat(schema.type ?? [])
  if (types.length && !types.some((t) => t === actual || (t === 'number' && actual === 'integer')))
    return [...errors, `${path}: ${actual} where ${types.join('|')} is documented`]
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  if ('const' in schema && schema.const !== value)
    errors.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`)
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      errors.push(`${path}: ${value} < ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      errors.push(`${path}: ${value} > ${schema.maximum}`)
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`)
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      errors.push(`${path}: does not match ${schema.pattern}`)
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) =>
      errors.push(...schemaErrors(schema.items as Schema, item, `${path}[${i}]`))
    )
  if (actual === 'object') {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const name of (schema.required ?? []) as string[])
      if (!(name in object)) errors.push(`${path}.${name}: documented as required, missing`)
    for (const [name, v] of Object.entries(object)) {
      if (properties[name]) errors.push(...schemaErrors(properties[name], v, `${path}.${name}`))
      else if (schema.additionalProperties === false)
        errors.push(`${path}.${name}: sent but not documented`)
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(schema.additionalProperties as Schema, v, `${path}.${name}`))
    }
  }
  return errors
}
