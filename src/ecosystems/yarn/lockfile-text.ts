// Plain-text checks shared by the yarn and pnpm lockfile readers.

/** The first line holding a git merge conflict marker (`<<<<<<<` or `>>>>>>>` at the start of a line), if any. */
export function conflictLine(text: string): number | undefined {
  let best = -1;
  for (const marker of ["<<<<<<<", ">>>>>>>"]) {
    const at = text.startsWith(marker) ? 0 : text.indexOf(`\n${marker}`);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  if (best < 0) return undefined;
  let line = best === 0 ? 1 : 2;
  for (let i = text.indexOf("\n"); i >= 0 && i < best; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
