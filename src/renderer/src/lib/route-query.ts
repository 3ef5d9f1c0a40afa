import type { LocationQuery } from 'vue-router'

/**
 * One query value as a string. vue-router gives an array for a repeated key and null for a bare
 * one; the views read a single value, and anything else counts as absent.
 */
export function queryString(value: LocationQuery[string] | undefined): string {
  return typeof value === 'string' ? value : ''
}

/** A local date as date inputs and the API write it: YYYY-MM-DD. */
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/
