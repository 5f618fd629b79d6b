// Plain-text helpers shared by the lockfile readers.

/** Removes a UTF-8 byte-order mark, which JSON.parse rejects but editors sometimes write. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The 1-based line a character offset falls on (one pass up to the offset; use `lineIndex` for many lookups). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * The first line holding a git merge conflict marker (`<<<<<<<` or `>>>>>>>` at the start of a line), if any. Used by
 * the yarn and pnpm readers to name the problem instead of reporting a syntax error somewhere inside it.
 */
export function conflictLine(text: string): number | undefined {
  if (text.startsWith("<<<<<<<") || text.startsWith(">>>>>>>")) return 1;
  let first = -1;
  for (const marker of ["\n<<<<<<<", "\n>>>>>>>"]) {
    const at = text.indexOf(marker);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  // `first` is the newline that ends the line before the marker.
  return first < 0 ? undefined : lineAt(text, first) + 1;
}
