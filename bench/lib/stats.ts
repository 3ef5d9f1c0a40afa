/** Small statistics and formatting helpers shared by the bench steps. */

export interface Summary {
  n: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export function summarise(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort()
  let total = 0
  for (const v of sorted) total += v
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? total / sorted.length : NaN
  }
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–'

/** Milliseconds with a precision that suits their size: 0.123, 4.56, 78.9, 1,234. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return '–'
  if (n < 1) return fmt(n, 3)
  if (n < 10) return fmt(n, 2)
  if (n < 100) return fmt(n, 1)
  return fmt(n, 0)
}

export const ratio = (a: number, b: number): string =>
  Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–'

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)
      )
      const text = line.join('  ')
      return i === 0 ? `${text}\n${'-'.repeat(text.length)}` : text
    })
    .join('\n')
}

/** The same rows as a Markdown table (for docs/performance.md). */
export function markdownTable(rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|')
  const [head, ...body] = rows
  return [
    `| ${head!.map(escape).join(' | ')} |`,
    `| ${head!.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(escape).join(' | ')} |`)
  ].join('\n')
}
