/**
 * A quick look at a file before asking "import and replace everything?": a Pastillero export is
 * a .tar.gz whose first entry is pastillero.db, an SQLite database. Reads only the first few
 * hundred bytes after gunzip; anything else is refused before the confirmation.
 */
export async function looksLikeExport(file: Blob): Promise<boolean> {
  try {
    const head = new Uint8Array(await file.slice(0, 2).arrayBuffer())
    if (head[0] !== 0x1f || head[1] !== 0x8b) return false // not gzip
    const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader()
    const bytes: number[] = []
    while (bytes.length < 528) {
      const { value, done } = await reader.read()
      if (done) break
      for (const b of value) bytes.push(b)
    }
    await reader.cancel().catch(() => undefined)
    const text = (from: number, to: number) =>
      String.fromCharCode(...bytes.slice(from, to)).replace(/\0.*$/s, '')
    // tar header: the name in bytes 0-99; the file's data starts at 512.
    const name = text(0, 100).replace(/^\.\//, '')
    return name === 'pastillero.db' && text(512, 527) === 'SQLite format 3'
  } catch {
    return false
  }
}
