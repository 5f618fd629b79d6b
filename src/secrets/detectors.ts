// Loads the credential detectors shipped in data/secret-detectors.json (format: docs/secret-detectors.md, schema:
// data/schema/secret-detectors.schema.json), checks them by hand (the generated validators do not cover this file yet)
// and compiles each one into lookup tables and a token body (pattern.ts). The scanning itself is in detect.ts.
import { readFileSync } from "node:fs";
import type { CharCounts, ChecksumKind } from "./checks.js";
import { compileBody } from "./pattern.js";
import type { Body, SegmentSpec } from "./pattern.js";
import { normalizeName } from "./context.js";
import type { Confidence, Detector } from "./types.js";

const DATA_URL = new URL("../../data/secret-detectors.json", import.meta.url);
const DATA_FILE = "data/secret-detectors.json";

/** The document as stored in data/secret-detectors.json. */
export interface DetectorDocument {
  version: 1;
  detectors: DetectorSpec[];
}

/** One detector as written in the data file. */
export interface DetectorSpec {
  id: string;
  provider: string;
  kind: string;
  confidence: Confidence;
  /** Literal prefixes that start the token; the longest one present is the public part shown in redacted output. */
  prefixes?: string[];
  /** A literal inside the token at a fixed offset from its start, for formats without a prefix (Azure's `JQQJ9`). */
  anchor?: { literal: string; offset: number };
  /** The token after the prefix (the whole token when there is none). */
  body?: SegmentSpec[];
  /** A format with its own matcher instead of a body. */
  format?: "pem-private-key";
  /** Minimum Shannon entropy of the body in bits per character. */
  minEntropy?: number;
  counts?: CharCounts;
  checksum?: ChecksumKind;
  /** When present the token counts only in this context (an assignment to one of the variables, or a keyword). */
  context?: ContextSpec;
  references: string[];
  notes?: string;
  samples: { true: string[]; false: string[] };
}

/** Where a prefix-less (or ambiguous) token must sit to count. */
export interface ContextSpec {
  /** Variable names (compared normalised: case, `_` and `-` ignored, so `cohereApiKey` matches COHERE_API_KEY). */
  variables?: string[];
  /** Provider words: an identifier holding a credential whose name, or line, mentions one. */
  keywords?: string[];
  /** Another detector whose match within 1,000 characters makes a credential-named assignment count. */
  pairedWith?: string;
}

/** A detector ready for scanning. `info` is the public, frozen object every match refers to. */
export interface CompiledDetector {
  info: Detector;
  /** Literal prefixes, longest first. */
  prefixes: readonly string[];
  anchor?: { literal: string; offset: number };
  body: Body;
  /**
   * Characters that may not precede a token (it would be the tail of a longer one): word characters and the body's
   * characters, except `=` (base64 padding only ends a token, and `NAME=` often precedes one).
   */
  leftBlocked: Uint8Array;
  format?: "pem-private-key";
  minEntropy: number;
  counts?: CharCounts;
  checksum?: ChecksumKind;
  context?: CompiledContext;
  /** Built from a variable name list the caller passed (the AI catalog), not from the data file. */
  generic: boolean;
  /** Position in the data file, the last tie-breaker between overlapping matches. */
  order: number;
}

/** A compiled context requirement. */
export interface CompiledContext {
  /** Normalised variable names. */
  variables: ReadonlySet<string>;
  /** Keywords, normalised (upper case, no separators) for identifiers and lower case for lines. */
  keywords: readonly { name: string; line: string }[];
  pairedWith?: string;
}

const CONFIDENCES: readonly Confidence[] = ["high", "medium", "low"];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

let shipped: DetectorDocument | undefined;

/** The shipped detector document, validated on first use and cached. Throws one Error naming the file and field. */
export function loadDetectorDocument(): DetectorDocument {
  if (shipped) return shipped;
  let text: string;
  try {
    text = readFileSync(DATA_URL, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${DATA_FILE}: ${(error as Error).message}`);
  }
  shipped = parseDetectorDocument(text, DATA_FILE);
  return shipped;
}

/** Parses and checks a detector document; `label` names it in errors. Compiles every detector to catch bad patterns. */
export function parseDetectorDocument(text: string, label: string): DetectorDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: not valid JSON (${(error as Error).message})`);
  }
  const root = object(document, label, "");
  if (root.version !== 1) throw new Error(`${label}: /version must be 1`);
  const list = array(root.detectors, label, "/detectors");
  const ids = new Set<string>();
  const detectors = list.map((entry, i) => {
    const spec = detectorSpec(entry, label, `/detectors/${i}`);
    if (ids.has(spec.id)) throw new Error(`${label}: /detectors/${i}/id "${spec.id}" is used twice`);
    ids.add(spec.id);
    return spec;
  });
  detectors.forEach((spec, i) => {
    if (spec.context?.pairedWith !== undefined && !ids.has(spec.context.pairedWith)) {
      throw new Error(`${label}: /detectors/${i}/context/pairedWith names no detector`);
    }
    compileDetector(spec, i, `${label}: /detectors/${i}`);
  });
  return { version: 1, detectors };
}

const KNOWN_KEYS = new Set(["id", "provider", "kind", "confidence", "prefixes", "anchor", "body", "format", "minEntropy", "counts", "checksum", "context", "references", "notes", "samples"]);

function detectorSpec(value: unknown, label: string, pointer: string): DetectorSpec {
  const entry = object(value, label, pointer);
  for (const key of Object.keys(entry)) if (!KNOWN_KEYS.has(key)) throw new Error(`${label}: ${pointer}/${key} is not a detector field`);
  const id = string(entry.id, label, `${pointer}/id`);
  if (!ID.test(id)) throw new Error(`${label}: ${pointer}/id must be kebab-case`);
  const confidence = entry.confidence;
  if (!CONFIDENCES.includes(confidence as Confidence)) throw new Error(`${label}: ${pointer}/confidence must be high, medium or low`);
  const spec: DetectorSpec = {
    id,
    provider: string(entry.provider, label, `${pointer}/provider`),
    kind: string(entry.kind, label, `${pointer}/kind`),
    confidence: confidence as Confidence,
    references: strings(entry.references, label, `${pointer}/references`),
    samples: samples(entry.samples, label, `${pointer}/samples`),
  };
  if (spec.references.length === 0) throw new Error(`${label}: ${pointer}/references must cite at least one source`);
  if (entry.prefixes !== undefined) spec.prefixes = strings(entry.prefixes, label, `${pointer}/prefixes`);
  if (entry.anchor !== undefined) {
    const anchor = object(entry.anchor, label, `${pointer}/anchor`);
    const offset = anchor.offset;
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw new Error(`${label}: ${pointer}/anchor/offset must be a count`);
    spec.anchor = { literal: string(anchor.literal, label, `${pointer}/anchor/literal`), offset };
  }
  if (entry.body !== undefined) spec.body = array(entry.body, label, `${pointer}/body`) as SegmentSpec[];
  if (entry.format !== undefined) {
    if (entry.format !== "pem-private-key") throw new Error(`${label}: ${pointer}/format must be pem-private-key`);
    spec.format = entry.format;
  }
  if (entry.minEntropy !== undefined) {
    if (typeof entry.minEntropy !== "number" || entry.minEntropy < 0 || entry.minEntropy > 7) throw new Error(`${label}: ${pointer}/minEntropy must be 0–7 bits`);
    spec.minEntropy = entry.minEntropy;
  }
  if (entry.counts !== undefined) {
    const counts = object(entry.counts, label, `${pointer}/counts`);
    const out: CharCounts = {};
    for (const [key, n] of Object.entries(counts)) {
      if ((key !== "upper" && key !== "lower" && key !== "digit") || typeof n !== "number" || !Number.isInteger(n) || n < 0) {
        throw new Error(`${label}: ${pointer}/counts/${key} must be a count of upper, lower or digit`);
      }
      out[key] = n;
    }
    spec.counts = out;
  }
  if (entry.checksum !== undefined) {
    if (entry.checksum !== "crc32-base62") throw new Error(`${label}: ${pointer}/checksum must be crc32-base62`);
    spec.checksum = entry.checksum;
  }
  if (entry.context !== undefined) {
    const context = object(entry.context, label, `${pointer}/context`);
    const out: ContextSpec = {};
    if (context.variables !== undefined) out.variables = strings(context.variables, label, `${pointer}/context/variables`);
    if (context.keywords !== undefined) out.keywords = strings(context.keywords, label, `${pointer}/context/keywords`);
    if (context.pairedWith !== undefined) out.pairedWith = string(context.pairedWith, label, `${pointer}/context/pairedWith`);
    if (!out.variables?.length && !out.keywords?.length && out.pairedWith === undefined) throw new Error(`${label}: ${pointer}/context needs variables, keywords or pairedWith`);
    spec.context = out;
  }
  if (entry.notes !== undefined) spec.notes = string(entry.notes, label, `${pointer}/notes`);
  if (!spec.prefixes?.length && !spec.anchor && !spec.context) throw new Error(`${label}: ${pointer} needs prefixes, an anchor or a context (a bare shape would match anything)`);
  if (!spec.body && !spec.format) throw new Error(`${label}: ${pointer} needs a body or a format`);
  return spec;
}

/** Compiles one detector spec; `order` is its position, `label` the error prefix. */
export function compileDetector(spec: DetectorSpec, order: number, label: string): CompiledDetector {
  const prefixes = [...(spec.prefixes ?? [])].sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (prefix.length < 3) throw new Error(`${label}/prefixes: "${prefix}" is too short to search for`);
    if (!/^[\x20-\x7e]+$/.test(prefix)) throw new Error(`${label}/prefixes: "${prefix}" must be printable ASCII`);
  }
  if (spec.anchor && spec.anchor.literal.length < 4) throw new Error(`${label}/anchor: literal is too short to search for`);
  const body = compileBody(spec.body ?? [{ chars: "A-Za-z0-9+/=", min: 1, max: 16384 }], label);
  if (spec.anchor && body.minLength < spec.anchor.offset + spec.anchor.literal.length) throw new Error(`${label}/anchor: offset lies outside the body`);
  const info: Detector = Object.freeze({
    id: spec.id,
    provider: spec.provider,
    kind: spec.kind,
    confidence: spec.confidence,
    prefixes: Object.freeze([...prefixes]),
  });
  const compiled: CompiledDetector = {
    info,
    prefixes,
    body,
    leftBlocked: leftBlocked(body),
    minEntropy: spec.minEntropy ?? 0,
    generic: false,
    order,
  };
  if (spec.anchor) compiled.anchor = spec.anchor;
  if (spec.format) compiled.format = spec.format;
  if (spec.counts) compiled.counts = spec.counts;
  if (spec.checksum) compiled.checksum = spec.checksum;
  if (spec.context) {
    const context: CompiledContext = {
      variables: new Set((spec.context.variables ?? []).map(normalizeName)),
      keywords: (spec.context.keywords ?? []).map((k) => ({ name: normalizeName(k), line: k.toLowerCase() })),
    };
    if (spec.context.pairedWith !== undefined) context.pairedWith = spec.context.pairedWith;
    compiled.context = context;
  }
  return compiled;
}

/** The characters that may not precede a token with this body. */
export function leftBlocked(body: Body): Uint8Array {
  const blocked = new Uint8Array(body.chars);
  for (let c = 0; c < 128; c++) {
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) blocked[c] = 1;
  }
  blocked[61] = 0;
  return blocked;
}

/** What the name of a variable that may hold a credential ends in (normalised: upper case, no separators). */
const SECRET_NAME_ENDINGS = ["KEY", "TOKEN", "SECRET", "PASSWORD"];

/** Names of variables that may hold a credential; the rest (`*_URL`, `*_HOST`, `*_KEY_ID`, paths) are not values to check. */
export function isSecretVariableName(name: string): boolean {
  const normalized = normalizeName(name);
  return SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

/** Characters of a generic credential value (one assigned to a variable from the AI catalog). */
const GENERIC_BODY: SegmentSpec[] = [{ chars: "A-Za-z0-9_+/.=~-", min: 16, max: 4096 }];

/**
 * Detectors for the variable names the caller passes (provider → names, from the AI catalog's `env` lists): a literal
 * assigned to one of them counts when it looks random. Names a shipped detector already lists keep that detector.
 */
export function genericDetectors(extra: Record<string, string[]>, claimed: ReadonlySet<string>, firstOrder: number): CompiledDetector[] {
  const out: CompiledDetector[] = [];
  const seen = new Set(claimed);
  let order = firstOrder;
  // One body for all of them (compiled bodies are never changed).
  let body: Body | undefined;
  for (const [provider, names] of Object.entries(extra)) {
    const variables = new Set<string>();
    for (const name of names) {
      const normalized = normalizeName(name);
      if (!isSecretVariableName(name) || seen.has(normalized)) continue;
      seen.add(normalized);
      variables.add(normalized);
    }
    if (variables.size === 0) continue;
    const slug = provider.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "provider";
    const info: Detector = Object.freeze({
      id: `assigned-${slug}-key`,
      provider,
      kind: "key (recognised by the variable it is assigned to)",
      confidence: "medium",
      prefixes: Object.freeze([]),
    });
    body ??= compileBody(GENERIC_BODY, "generic detectors");
    out.push({
      info,
      prefixes: [],
      body,
      leftBlocked: leftBlocked(body),
      minEntropy: 3.2,
      counts: { digit: 1 },
      context: { variables, keywords: [] },
      generic: true,
      order: order++,
    });
  }
  return out;
}

function object(value: unknown, label: string, pointer: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${label}: ${pointer || "/"} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, label: string, pointer: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${label}: ${pointer} must be an array`);
  return value;
}

function string(value: unknown, label: string, pointer: string, allowEmpty = false): string {
  if (typeof value !== "string" || (!allowEmpty && value.trim() === "")) throw new Error(`${label}: ${pointer} must be a${allowEmpty ? "" : " non-empty"} string`);
  return value;
}

function strings(value: unknown, label: string, pointer: string): string[] {
  return array(value, label, pointer).map((item, i) => string(item, label, `${pointer}/${i}`));
}

function samples(value: unknown, label: string, pointer: string): { true: string[]; false: string[] } {
  const entry = object(value, label, pointer);
  const truthy = strings(entry.true, label, `${pointer}/true`);
  const falsy = strings(entry.false, label, `${pointer}/false`);
  if (truthy.length === 0 || falsy.length === 0) throw new Error(`${label}: ${pointer} needs true and false samples`);
  return { true: truthy, false: falsy };
}
