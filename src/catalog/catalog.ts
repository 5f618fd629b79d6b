// The AI package catalog: which npm / PyPI packages belong to the AI stack, what they are, which hosts they call and
// which environment variables hold their credentials. The data lives in data/ai-catalog.json (see data/README.md);
// this module validates it against data/schema/ai-catalog.schema.json and answers lookups.
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import { schemaValidators } from "../validation/schema-validators.js";
import { normalizeName } from "../graph/names.js";
import type { Ecosystem } from "../graph/package-node.js";

/** What part of the AI stack a package is. Definitions in data/README.md. */
export type AiCategory =
  | "llm-sdk"
  | "gateway"
  | "orchestration"
  | "vector-db"
  | "embeddings"
  | "eval"
  | "observability"
  | "local-inference"
  | "mcp"
  | "guardrails";

/** Every category, in the order the schema lists them. */
export const AI_CATEGORIES: readonly AiCategory[] = [
  "llm-sdk",
  "gateway",
  "orchestration",
  "vector-db",
  "embeddings",
  "eval",
  "observability",
  "local-inference",
  "mcp",
  "guardrails",
];

/** The facts the catalog records about a package (shared by exact entries and patterns). */
export interface CatalogFacts {
  ecosystem: Ecosystem;
  category: AiCategory;
  /** The company or project behind the package. */
  provider: string;
  /** API hostnames called by default; `*.example.com` matches any subdomain of example.com. */
  hosts: readonly string[];
  /** Regional endpoint templates, `{region}` standing for the configured cloud region. */
  regionalHosts?: readonly string[];
  /** Environment variables holding the package's credentials or endpoint overrides. */
  env: readonly string[];
  notes?: string;
}

/** One package of the catalog, by exact (normalised) name. */
export interface CatalogEntry extends CatalogFacts {
  name: string;
}

/** A family of packages by name glob: one `*`, at the end (prefix match) or at the start (suffix match). */
export interface CatalogPattern extends CatalogFacts {
  pattern: string;
}

/** The catalog document as stored in data/ai-catalog.json. */
export interface CatalogDocument {
  $schema?: string;
  version: 1;
  packages: CatalogEntry[];
  patterns: CatalogPattern[];
}

/** A user addition: a package entry (has `name`) or a pattern (has `pattern`), in the catalog's own shape. */
export type CatalogAddition = CatalogEntry | CatalogPattern;

/** The answer to a lookup: the facts for the name asked about, and where they came from. */
export interface CatalogMatch extends CatalogEntry {
  /** `name` when an exact entry matched, `pattern` when a glob did. */
  matchedBy: "name" | "pattern";
  /** The glob that matched, when `matchedBy` is `pattern`. */
  pattern?: string;
  /** "bundled" for data/ai-catalog.json, else the label the caller gave with its additions (a config file path). */
  source: string;
}

/** Source label of the catalog shipped with aiwarden. */
export const BUNDLED_SOURCE = "bundled";

/** Where the bundled catalog lives, relative to this module (the same from src/ and dist/). */
const CATALOG_URL = new URL("../../data/ai-catalog.json", import.meta.url);
const BUNDLED_FILE = "data/ai-catalog.json";

/** How many validation problems an error message lists before summarising the rest. */
const MAX_LISTED_PROBLEMS = 5;

interface CompiledPattern {
  entry: CatalogPattern;
  source: string;
  /** The pattern without its `*`. */
  literal: string;
  /** `prefix`: `literal*`; `suffix`: `*literal`. */
  kind: "prefix" | "suffix";
}

/** Lookup over a validated catalog plus any user additions. Immutable: `withAdditions` returns a new catalog. */
export class Catalog {
  private readonly exact: ReadonlyMap<string, { entry: CatalogEntry; source: string }>;
  /** Per ecosystem, longest literal first, so the most specific glob wins. */
  private readonly globs: ReadonlyMap<Ecosystem, readonly CompiledPattern[]>;

  private constructor(
    exact: ReadonlyMap<string, { entry: CatalogEntry; source: string }>,
    globs: ReadonlyMap<Ecosystem, readonly CompiledPattern[]>,
  ) {
    this.exact = exact;
    this.globs = globs;
  }

  /**
   * Builds a catalog from a parsed document, validating it first. `source` labels its matches and names it in
   * error messages (`BUNDLED_SOURCE` for the shipped file).
   */
  static fromDocument(document: unknown, source: string): Catalog {
    const problems = validateDocument(document);
    if (problems.length > 0) {
      throw new Error(formatProblems(`${describeSource(source)} is not a valid AI catalog`, problems));
    }
    const doc = document as CatalogDocument;
    return Catalog.empty().merged(doc.packages, doc.patterns, source);
  }

  /**
   * The catalog of the shipped file (data/ai-catalog.json), not validated here: it is part of the release like the
   * code, and the test suite validates it against its schema. Validating it on every run cost 20-30 ms of start-up
   * (loading the generated validators, then running them) for a file that cannot differ from the tested one.
   */
  static fromShippedDocument(document: unknown): Catalog {
    const doc = document as CatalogDocument;
    return Catalog.empty().merged(doc.packages, doc.patterns, BUNDLED_SOURCE);
  }

  /** A catalog with no entries, for building one from additions alone. */
  static empty(): Catalog {
    return new Catalog(new Map(), new Map());
  }

  /**
   * Returns a new catalog with the user's additions merged in. An addition replaces a bundled entry of the same
   * (ecosystem, name) or (ecosystem, pattern). `source` (e.g. the config file path) prefixes every error message.
   */
  withAdditions(additions: unknown, source: string): Catalog {
    const problems = validateAdditions(additions);
    if (problems.length > 0) throw new Error(formatProblems(`${source}: invalid catalog additions`, problems));
    const list = additions as CatalogAddition[];
    const packages = list.filter((a): a is CatalogEntry => "name" in a);
    const patterns = list.filter((a): a is CatalogPattern => "pattern" in a);
    return this.merged(packages, patterns, source);
  }

  /**
   * The catalog's facts for a package, or undefined when it is not an AI package. Exact names win over patterns;
   * among patterns the longest literal part wins. The name is normalised for its ecosystem (PEP 503 for PyPI).
   */
  lookup(ecosystem: Ecosystem, name: string): CatalogMatch | undefined {
    const normalised = normalizeName(ecosystem, name);
    const hit = this.exact.get(key(ecosystem, normalised));
    if (hit) return { ...hit.entry, matchedBy: "name", source: hit.source };
    for (const glob of this.globs.get(ecosystem) ?? []) {
      if (!globMatches(glob, normalised)) continue;
      const { pattern, ...facts } = glob.entry;
      return { ...facts, name: normalised, matchedBy: "pattern", pattern, source: glob.source };
    }
    return undefined;
  }

  /** Whether a package is in the catalog (by name or pattern). */
  has(ecosystem: Ecosystem, name: string): boolean {
    return this.lookup(ecosystem, name) !== undefined;
  }

  /** Every exact entry, ordered by ecosystem then name. */
  entries(): CatalogEntry[] {
    return [...this.exact.values()].map((v) => v.entry).sort(compareEntries);
  }

  /** Every pattern, ordered by ecosystem then pattern. */
  patterns(): CatalogPattern[] {
    return [...this.globs.values()].flat().map((g) => g.entry).sort(comparePatterns);
  }

  /** Default API hosts of a package (empty when unknown or local-only); regional templates are not included. */
  hostsFor(ecosystem: Ecosystem, name: string): readonly string[] {
    return this.lookup(ecosystem, name)?.hosts ?? [];
  }

  /** Environment variables holding a package's credentials or endpoints (empty when unknown). */
  envVarsFor(ecosystem: Ecosystem, name: string): readonly string[] {
    return this.lookup(ecosystem, name)?.env ?? [];
  }

  /**
   * Provider → the environment variables its entries name (bundled and added), for the secret scan's context
   * detectors: a value assigned to `COHERE_API_KEY` is a Cohere key even without a prefix.
   */
  keyVariables(): Record<string, string[]> {
    // A variable several packages read (OPENAI_API_KEY: openai, langchain-openai, @ai-sdk/openai, …) belongs to the
    // provider most of them name, so a key in it is reported as an OpenAI key, not a wrapper's.
    const votes = new Map<string, Map<string, number>>();
    for (const entry of [...this.entries(), ...this.patterns()]) {
      for (const variable of entry.env) {
        const counts = votes.get(variable) ?? new Map<string, number>();
        counts.set(entry.provider, (counts.get(entry.provider) ?? 0) + 1);
        votes.set(variable, counts);
      }
    }
    const out: Record<string, string[]> = {};
    for (const [variable, counts] of [...votes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [provider] = [...counts].sort(([a, x], [b, y]) => y - x || a.length - b.length || (a < b ? -1 : 1))[0] as [string, number];
      (out[provider] ??= []).push(variable);
    }
    return out;
  }

  private merged(packages: readonly CatalogEntry[], patterns: readonly CatalogPattern[], source: string): Catalog {
    const exact = new Map(this.exact);
    for (const entry of packages) exact.set(key(entry.ecosystem, entry.name), { entry: frozenCopy(entry), source });
    const byEcosystem = new Map<Ecosystem, CompiledPattern[]>();
    for (const [ecosystem, list] of this.globs) {
      const replaced = new Set(patterns.filter((p) => p.ecosystem === ecosystem).map((p) => p.pattern));
      byEcosystem.set(ecosystem, list.filter((g) => !replaced.has(g.entry.pattern)));
    }
    for (const entry of patterns) {
      const list = byEcosystem.get(entry.ecosystem) ?? [];
      list.push(compilePattern(frozenCopy(entry), source));
      byEcosystem.set(entry.ecosystem, list);
    }
    // Stable sort: on equal literal length, earlier-merged globs (bundled) come first; additions rarely tie.
    for (const list of byEcosystem.values()) list.sort((a, b) => b.literal.length - a.literal.length);
    return new Catalog(exact, byEcosystem);
  }
}

let bundled: Catalog | undefined;

/**
 * The catalog shipped with aiwarden (data/ai-catalog.json), read on first use and cached (see fromShippedDocument).
 * Throws one Error naming the file when it is unreadable or not JSON.
 */
export function loadCatalog(): Catalog {
  bundled ??= Catalog.fromShippedDocument(parseJson(readBundledText(CATALOG_URL), BUNDLED_FILE));
  return bundled;
}

/** Reads a bundled data file. The only file-system access of this module. */
function readBundledText(url: URL): string {
  try {
    return readFileSync(url, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${url.pathname}: ${(error as Error).message}`);
  }
}

function describeSource(source: string): string {
  return source === BUNDLED_SOURCE ? `the bundled catalog (${BUNDLED_FILE})` : source;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/** One validation problem: a JSON pointer into the checked document and what is wrong there. */
export interface CatalogProblem {
  pointer: string;
  message: string;
}

/** Schema problems plus the checks a schema cannot express (duplicates). Empty when the document is valid. */
export function validateDocument(document: unknown): CatalogProblem[] {
  const validate = schemaValidators().validateCatalogDocument;
  if (!validate(document)) return toProblems(validate.errors ?? [], "");
  const doc = document as CatalogDocument;
  const names = doc.packages.map((p, i) => ({ id: key(p.ecosystem, p.name), pointer: `/packages/${i}/name` }));
  const globs = doc.patterns.map((p, i) => ({ id: key(p.ecosystem, p.pattern), pointer: `/patterns/${i}/pattern` }));
  return [...duplicateProblems(names), ...duplicateProblems(globs)];
}

/** Problems in a list of user additions (each a package entry or a pattern). Empty when valid. */
export function validateAdditions(additions: unknown): CatalogProblem[] {
  if (!Array.isArray(additions)) return [{ pointer: "", message: "must be a list of catalog entries" }];
  const { validateCatalogPackage: packageEntry, validateCatalogPattern: patternEntry } = schemaValidators();
  const problems: CatalogProblem[] = [];
  const ids: { id: string; pointer: string }[] = [];
  additions.forEach((item: unknown, i) => {
    const base = `/${i}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      problems.push({ pointer: base, message: "must be an object" });
      return;
    }
    const isPattern = "pattern" in item;
    if (isPattern && "name" in item) {
      problems.push({ pointer: base, message: 'must have either "name" or "pattern", not both' });
      return;
    }
    const validate = isPattern ? patternEntry : packageEntry;
    if (!validate(item)) {
      problems.push(...toProblems(validate.errors ?? [], base));
      return;
    }
    const entry = item as CatalogAddition;
    const id = "pattern" in entry ? `pattern:${key(entry.ecosystem, entry.pattern)}` : key(entry.ecosystem, entry.name);
    ids.push({ id, pointer: `${base}/${isPattern ? "pattern" : "name"}` });
  });
  return [...problems, ...duplicateProblems(ids)];
}

function duplicateProblems(items: readonly { id: string; pointer: string }[]): CatalogProblem[] {
  const first = new Map<string, string>();
  const problems: CatalogProblem[] = [];
  for (const { id, pointer } of items) {
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, pointer);
    else problems.push({ pointer, message: `duplicates the entry at ${earlier}` });
  }
  return problems;
}

/** Turns ajv errors into pointer + message, folding the noise `if`/`then` adds. */
function toProblems(errors: readonly ErrorObject[], base: string): CatalogProblem[] {
  return errors
    .filter((e) => e.keyword !== "if")
    .map((e) => ({ pointer: `${base}${e.instancePath}`, message: describe(e) }));
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "additionalProperties":
      return `has unknown property "${String(params.additionalProperty)}"`;
    case "required":
      return `is missing required property "${String(params.missingProperty)}"`;
    case "pattern":
      return patternMessage(error);
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** What each `pattern` of the schema asks for, in words, keyed by the end of its schema path. */
const PATTERN_MESSAGES: readonly (readonly [string, string])[] = [
  ["/then/properties/name/pattern", "must be a PyPI name in PEP 503 form (lower case, `-` between words)"],
  ["/else/properties/name/pattern", "must be a valid npm package name (lower case, optionally @scope/)"],
  ["/properties/pattern/pattern", "must be a name glob with exactly one `*`, at the start or the end"],
  ["/env/items/pattern", "must be an environment variable name (upper-case letters, digits and `_`)"],
  ["/regionalHosts/items/pattern", "must be a lower-case hostname template containing `{region}`"],
  ["/hosts/items/pattern", "must be a lower-case hostname, optionally starting with `*.` (no scheme, port or path)"],
];

function patternMessage(error: ErrorObject): string {
  const known = PATTERN_MESSAGES.find(([suffix]) => error.schemaPath.endsWith(suffix));
  return known?.[1] ?? error.message ?? "does not match its pattern";
}

function formatProblems(headline: string, problems: readonly CatalogProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  ${p.pointer || "/"}: ${p.message}`);
  const more = problems.length - listed.length;
  if (more > 0) listed.push(`  ... and ${more} more`);
  return `${headline}:\n${listed.join("\n")}`;
}

/** Entries are shared by every lookup result, so the catalog keeps its own frozen copies of them. */
function frozenCopy<T extends CatalogFacts>(entry: T): T {
  const copy = { ...entry, hosts: Object.freeze([...entry.hosts]), env: Object.freeze([...entry.env]) };
  if (entry.regionalHosts) copy.regionalHosts = Object.freeze([...entry.regionalHosts]);
  return Object.freeze(copy);
}

function compilePattern(entry: CatalogPattern, source: string): CompiledPattern {
  const kind = entry.pattern.startsWith("*") ? "suffix" : "prefix";
  const literal = kind === "suffix" ? entry.pattern.slice(1) : entry.pattern.slice(0, -1);
  return { entry, source, literal, kind };
}

/** Prefix/suffix match, no regular expressions. The `*` stands for at least one character. */
function globMatches(glob: CompiledPattern, name: string): boolean {
  if (name.length <= glob.literal.length) return false;
  return glob.kind === "prefix" ? name.startsWith(glob.literal) : name.endsWith(glob.literal);
}

function key(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}:${name}`;
}

function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  return compareStrings(key(a.ecosystem, a.name), key(b.ecosystem, b.name));
}

function comparePatterns(a: CatalogPattern, b: CatalogPattern): number {
  return compareStrings(key(a.ecosystem, a.pattern), key(b.ecosystem, b.pattern));
}

function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
