import type { Extractor } from "./extractor.js";

/**
 * Every supported file format, in claim order: the first extractor whose `claims` accepts a file name owns it.
 * A literal list on purpose (see the registry test): adding a format means adding it here.
 */
export const extractors: readonly Extractor[] = [];

/** The extractor that owns a file, by its root-relative POSIX path. */
export function extractorFor(path: string): Extractor | undefined {
  return extractors.find((e) => e.claims(path));
}
