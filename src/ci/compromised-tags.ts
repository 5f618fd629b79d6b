// Loads data/actions/compromised-tags.json: action and image tags that were force-pushed to malicious code (see
// data/actions/README.md). The enrich stage puts the result in `context.facts.ci.compromised`; rules only read it.
import { readFileSync } from "node:fs";
import type { CompromisedActionTags, CompromisedImageTags, CompromisedTags } from "./types.js";

const DATA_URL = new URL("../../data/actions/compromised-tags.json", import.meta.url);
const DATA_FILE = "data/actions/compromised-tags.json";

let bundled: CompromisedTags | undefined;

/** The shipped list, validated on first use and cached. Throws one Error naming the file and the bad field. */
export function loadCompromisedTags(): CompromisedTags {
  bundled ??= parseCompromisedTags(readFileSync(DATA_URL, "utf8"), DATA_FILE);
  return bundled;
}

/** Parses and checks the document; `label` names it in errors. */
export function parseCompromisedTags(text: string, label: string): CompromisedTags {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = object(document, label, "");
  if (root.version !== 1) throw new Error(`${label}: /version must be 1`);
  const actions = list(root.actions, label, "/actions").map((entry, i) => action(entry, label, `/actions/${i}`));
  const images = list(root.images, label, "/images").map((entry, i) => image(entry, label, `/images/${i}`));
  return { actions, images };
}

function action(value: unknown, label: string, pointer: string): CompromisedActionTags {
  const entry = object(value, label, pointer);
  const name = string(entry.action, label, `${pointer}/action`);
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`${label}: ${pointer}/action must be owner/repo`);
  const tags = entry.tags === undefined ? [] : list(entry.tags, label, `${pointer}/tags`).map((t, i) => string(t, label, `${pointer}/tags/${i}`));
  let range: CompromisedActionTags["range"];
  if (entry.range !== undefined) {
    const r = object(entry.range, label, `${pointer}/range`);
    range = { prefix: string(r.prefix, label, `${pointer}/range/prefix`, true), from: semverText(r.from, label, `${pointer}/range/from`), to: semverText(r.to, label, `${pointer}/range/to`) };
  }
  if (tags.length === 0 && !range) throw new Error(`${label}: ${pointer} needs tags or a range`);
  let safe: CompromisedActionTags["safe"];
  if (entry.safe !== undefined) {
    const s = object(entry.safe, label, `${pointer}/safe`);
    const sha = string(s.sha, label, `${pointer}/safe/sha`);
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`${label}: ${pointer}/safe/sha must be a 40-character commit SHA`);
    safe = { tag: string(s.tag, label, `${pointer}/safe/tag`), sha };
  }
  return {
    action: name.toLowerCase(),
    tags,
    ...(range ? { range } : {}),
    ...common(entry, label, pointer),
    ...(safe ? { safe } : {}),
  };
}

function image(value: unknown, label: string, pointer: string): CompromisedImageTags {
  const entry = object(value, label, pointer);
  const images = list(entry.images, label, `${pointer}/images`).map((t, i) => string(t, label, `${pointer}/images/${i}`).toLowerCase());
  const tags = list(entry.tags, label, `${pointer}/tags`).map((t, i) => string(t, label, `${pointer}/tags/${i}`));
  if (images.length === 0 || tags.length === 0) throw new Error(`${label}: ${pointer} needs images and tags`);
  return { images, tags, ...common(entry, label, pointer) };
}

function common(entry: Record<string, unknown>, label: string, pointer: string) {
  const references = list(entry.references, label, `${pointer}/references`).map((t, i) => string(t, label, `${pointer}/references/${i}`));
  if (references.length === 0) throw new Error(`${label}: ${pointer}/references must cite at least one source`);
  return {
    advisory: string(entry.advisory, label, `${pointer}/advisory`),
    window: string(entry.window, label, `${pointer}/window`),
    note: string(entry.note, label, `${pointer}/note`),
    references,
  };
}

function object(value: unknown, label: string, pointer: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${label}: ${pointer || "/"} must be an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, label: string, pointer: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${label}: ${pointer} must be an array`);
  return value;
}

function string(value: unknown, label: string, pointer: string, allowEmpty = false): string {
  if (typeof value !== "string" || (!allowEmpty && value.trim() === "")) throw new Error(`${label}: ${pointer} must be a${allowEmpty ? "" : " non-empty"} string`);
  return value;
}

function semverText(value: unknown, label: string, pointer: string): string {
  const text = string(value, label, pointer);
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(text)) throw new Error(`${label}: ${pointer} must be a version like 1.2.3`);
  return text;
}
