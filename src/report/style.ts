/** ANSI styling that collapses to plain text when colour is off. Renderers take one of these, never check the TTY. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const plain = (text: string) => text;

/** A style with colour on or off. */
export function createStyle(color: boolean): Style {
  if (!color) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain, magenta: plain };
  const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    magenta: wrap(35, 39),
  };
}

/** Visible width of a string, ignoring ANSI escapes (for column alignment). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x1b && text[i + 1] === "[") {
      const end = text.indexOf("m", i);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    width++;
  }
  return width;
}

/** Renders rows as left-aligned columns separated by two spaces; the last column is not padded. */
export function columns(rows: string[][], indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleWidth(cell)))).join("  ").trimEnd());
}
