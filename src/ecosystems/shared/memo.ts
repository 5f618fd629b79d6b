// Per-extraction caches, so one extraction parses each text once. The scan layer calls `companions` round after round
// (until the list stops growing) and then `extract`, passing the same ExtractContext object every time
// (src/scan/assemble.ts; src/testing/fixtures.ts does the same). A value derived from a file's text is therefore
// cached against that context object and the file's path: the companion rounds and the extraction share one parse,
// and the cache is dropped with the context (a WeakMap holds it). The text is compared as well — a pointer check when
// it is the same string, as it is here — so a reused context with a different text gets a fresh value, never a stale
// one. Cached values are shared between calls: callers must treat them as read-only.
import type { ExtractContext } from "../extractor.js";

/** A cache of values derived from file texts, one per (extraction context, path). */
export interface TextCache<T> {
  /** The value for `text` (the content of `path` in this extraction), derived on first use. */
  get(context: ExtractContext, path: string, text: string): T;
}

/** Creates a cache around a pure function of a text. */
export function textCache<T>(derive: (text: string) => T): TextCache<T> {
  const byContext = new WeakMap<ExtractContext, Map<string, { text: string; value: T }>>();
  return {
    get(context, path, text) {
      let byPath = byContext.get(context);
      if (!byPath) byContext.set(context, (byPath = new Map()));
      const hit = byPath.get(path);
      if (hit && hit.text === text) return hit.value;
      const value = derive(text);
      byPath.set(path, { text, value });
      return value;
    },
  };
}
