// Walking parsed YAML (the `yaml` package's node tree, which keeps source ranges) for the GitHub Actions and GitLab CI
// readers: map lookups that follow aliases and `<<` merge keys, scalar text, and the file line of any offset inside a
// scalar's value, so a command on the fifth line of a `run: |` block points at that line of the file.
import { LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node, YAMLMap } from "yaml";

/** A parsed YAML file with what is needed to turn offsets into lines. */
export interface ParsedYaml {
  doc: Document.Parsed;
  text: string;
  lines: LineCounter;
  /** A one-line description of the first syntax error, when there is one. */
  error?: string;
}

/** Parses YAML the way CI services read it: merge keys on, duplicate keys tolerated (last wins, as in GitLab). */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: false, strict: false, prettyErrors: false });
  const first = doc.errors[0];
  if (!first) return { doc, text, lines };
  const line = lines.linePos(first.pos[0]).line;
  return { doc, text, lines, error: `YAML syntax error on line ${line}: ${first.message.split("\n")[0] ?? ""}` };
}

/** Follows an alias to the node it names. */
export function deref(yaml: ParsedYaml, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(yaml.doc) as Node | undefined;
  return (node ?? undefined) as Node | undefined;
}

/** The map a node is (through an alias), or undefined. */
export function asMap(yaml: ParsedYaml, node: unknown): YAMLMap | undefined {
  const target = deref(yaml, node);
  return isMap(target) ? target : undefined;
}

/** The items of a sequence node (through an alias), or []. */
export function asSeq(yaml: ParsedYaml, node: unknown): Node[] {
  const target = deref(yaml, node);
  return isSeq(target) ? (target.items as Node[]) : [];
}

/** A scalar's text (strings, numbers and booleans as written), or undefined for anything else. */
export function asText(yaml: ParsedYaml, node: unknown): string | undefined {
  const target = deref(yaml, node);
  if (!isScalar(target)) return undefined;
  const value = target.value;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(target.source ?? value);
  return undefined;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.value === "<<" || typeof key.value === "symbol");
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return typeof key.value === "string" || typeof key.value === "number" || typeof key.value === "boolean" ? String(key.value) : undefined;
  return undefined;
}

/** The entries of a map, own keys first, then keys merged in with `<<` that the map does not set itself. */
export function entries(yaml: ParsedYaml, map: YAMLMap | undefined, seen: Set<YAMLMap> = new Set()): Array<[string, Node | undefined, Node]> {
  if (!map || seen.has(map)) return [];
  seen.add(map);
  const own: Array<[string, Node | undefined, Node]> = [];
  const merged: Array<[string, Node | undefined, Node]> = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const sources = isSeq(deref(yaml, pair.value)) ? asSeq(yaml, pair.value) : [pair.value as Node];
      for (const source of sources) merged.push(...entries(yaml, asMap(yaml, source), seen));
      continue;
    }
    const key = keyText(pair.key);
    if (key !== undefined) own.push([key, deref(yaml, pair.value), pair.key as Node]);
  }
  const names = new Set(own.map(([k]) => k));
  return [...own, ...merged.filter(([k]) => !names.has(k) && (names.add(k), true))];
}

/** One value of a map by key (own, else merged), through aliases. */
export function get(yaml: ParsedYaml, map: YAMLMap | undefined, key: string): Node | undefined {
  if (!map) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key) && keyText(pair.key) === key) return deref(yaml, pair.value);
  }
  for (const [k, value] of entries(yaml, map)) if (k === key) return value;
  return undefined;
}

/** The 1-based line where a node starts. */
export function lineOfNode(yaml: ParsedYaml, node: Node | undefined): number {
  const start = node?.range?.[0];
  return start === undefined ? 1 : yaml.lines.linePos(start).line;
}

/** The source text a node spans (for finding `secrets.X` anywhere in a job). */
export function sourceOf(yaml: ParsedYaml, node: Node | undefined): string {
  const range = node?.range;
  return range ? yaml.text.slice(range[0], range[2]) : "";
}

/**
 * Maps offsets in a scalar's value to file lines. Block scalars keep one value line per source line (literal) or
 * join lines (folded); quoted and plain scalars fold too. Each source line's text is looked for in the value just after
 * the previous one, within a short window, so the mapping is linear and exact wherever the text survives unescaped.
 */
export function scalarLineMap(yaml: ParsedYaml, node: Node): (offset: number) => number {
  const range = node.range;
  if (!isScalar(node) || !range || typeof node.value !== "string") return () => lineOfNode(yaml, node);
  const value = node.value;
  const startLine = yaml.lines.linePos(range[0]).line;
  const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  const source = yaml.text.slice(range[0], range[1]).split("\n");
  const anchors: Array<[number, number]> = [];
  let pointer = 0;
  for (let k = block ? 1 : 0; k < source.length; k++) {
    let content = (source[k] ?? "").trim();
    if (k === 0 && quoted) content = content.slice(1);
    if (content === "") continue;
    const probe = content.slice(0, 40);
    const at = value.slice(pointer, pointer + probe.length + 256).indexOf(probe);
    if (at < 0) continue;
    anchors.push([pointer + at, startLine + k]);
    pointer += at + probe.length;
  }
  const fallback = block ? startLine + 1 : startLine;
  return (offset) => {
    let lo = 0;
    let hi = anchors.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((anchors[mid] as [number, number])[0] <= offset) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best < 0 ? fallback : (anchors[best] as [number, number])[1];
  };
}
