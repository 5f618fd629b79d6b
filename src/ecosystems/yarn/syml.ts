// @yarnpkg/parsers, loaded on first use. It costs tens of milliseconds to import (its PEG grammars and js-yaml), and a
// classic yarn.lock in the layout yarn writes is read without it (classic-syntax.ts); extract is synchronous, hence a
// synchronous `require` (the package is CommonJS) rather than `import()`.
import { createRequire } from "node:module";
import type * as Parsers from "@yarnpkg/parsers";

let parsers: typeof Parsers | undefined;

/** @yarnpkg/parsers' `parseSyml`: yarn's own reader for both lockfile formats. Throws on a syntax error. */
export function parseSyml(source: string): unknown {
  parsers ??= createRequire(import.meta.url)("@yarnpkg/parsers") as typeof Parsers;
  return parsers.parseSyml(source);
}
