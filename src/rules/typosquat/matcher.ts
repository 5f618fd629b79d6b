// Finds the popular package a name imitates. Built once per popular-name list (cached), then answers each candidate
// with a handful of map lookups: symmetric-delete indexes (./similarity.ts) over separator-free names, plus maps for
// the npm scope tricks and the decorated AI names.
//
// What counts as a look-alike of a popular name T (candidate C, neither popular itself):
// - edit: C is one insertion, deletion, substitution or adjacent transposition from T (`litelm`, `opeanai`, `openia`);
// - separators: C equals T once `-`, `_`, `.` are removed (`lite-llm`, `open-ai`, `litellm-`). PyPI names are
//   PEP 503-normalised first, so `lite_llm` and `lite.llm` are the same name as `lite-llm`;
// - scope (npm): C is T's scoped name under another, look-alike scope (`@anthropic/sdk`, `@anthropicai/sdk` for
//   `@anthropic-ai/sdk`), C is a scoped T flattened into one unscoped name (`anthropic-sdk`, `anthropic-ai-sdk`), or C
//   republishes an unscoped T under a scope named after it (`@open-ai/openai` for `openai`);
// - affix (AI names only): C is an AI package's name decorated with a word people expect (`openai-sdk`, `pyopenai`,
//   `litellm-python`).
// Scopes are owned on npm: nobody but the owner of `@babel` publishes `@babel/anything`, so a candidate in a scope that
// a popular package uses is never a squat, and names within one scope are never compared.
import type { Ecosystem } from "../../graph/package-node.js";
import { NeighbourIndex, plausibleSlip, singleEdit } from "./similarity.js";
import type { EditKind } from "./similarity.js";

/** Names shorter than this (separators removed, scope aside) collide with real packages constantly: not compared. */
export const MIN_NAME_LENGTH = 5;
/** From this length (separators removed) any single edit counts; below it only keyboard slips (./similarity.ts). */
const ANY_EDIT_LENGTH = 8;
/** Scopes shorter than this (separators removed) are not compared either (`@vue` and `@vux` are both real). */
const MIN_SCOPE_LENGTH = 4;

/** Words added to an AI package's name to make a believable fake, separator-free (so `-sdk`, `_sdk`, `sdk`). */
const AI_SUFFIXES = ["sdk", "api", "client", "python", "py", "js", "node", "nodejs", "official", "lib"] as const;
const AI_PREFIXES = ["py", "python", "node", "js", "official"] as const;

/** How a candidate relates to the name it imitates. */
export type LookalikeKind = "edit" | "separators" | "scope" | "unscoped" | "rescoped" | "affix";

/** A popular name a candidate looks like, and how. */
export interface Lookalike {
  target: string;
  kind: LookalikeKind;
  /** For `edit`: the edit, read as "candidate = target with …". */
  edit?: EditKind;
  /** For `affix`: the word added, as found in the candidate (`-sdk`, `py`). */
  affix?: string;
  /** The target is an AI package. */
  ai: boolean;
  /** The target's position in the popular list (0 = most popular). */
  rank: number;
}

interface Target {
  name: string;
  rank: number;
  ai: boolean;
  scope: string | undefined;
}

/** Looks up the popular names a package name imitates. */
export class LookalikeMatcher {
  private readonly rank = new Map<string, number>();
  /** Unscoped targets by separator-free name, for edits and separator tricks. */
  private readonly byKey = new NeighbourIndex<Target>();
  /**
   * npm: scoped targets flattened into unscoped names (`anthropic-ai-sdk`, `anthropic-sdk`), separator-free. Exact
   * lookups only: a flattened name with a typo on top is two tricks, and indexing every scoped name's flattened forms
   * for edits would double the index.
   */
  private readonly flattened = new Map<string, Target>();
  /** npm: scoped targets by their name without scope. */
  private readonly byBareName = new Map<string, Target[]>();
  /** npm: unscoped targets by separator-free name, for `@look-alike/name` republishing. */
  private readonly unscopedByKey = new Map<string, Target>();
  /** Unscoped AI targets by separator-free name, for decorated names. */
  private readonly aiByKey = new Map<string, Target>();
  /** npm scopes that popular packages use: owned by their publishers. */
  private readonly trustedScopes = new Set<string>();

  constructor(readonly ecosystem: Ecosystem, names: readonly string[], ai: ReadonlySet<string>) {
    names.forEach((name, rank) => {
      if (this.rank.has(name)) return;
      this.rank.set(name, rank);
      const scope = scopeOf(name);
      const target: Target = { name, rank, ai: ai.has(name), scope };
      if (scope !== undefined) this.trustedScopes.add(scope);
      this.indexTarget(target);
    });
  }

  /** True when the name is in the popular list itself (a real, established package). */
  isPopular(name: string): boolean {
    return this.rank.has(name);
  }

  /**
   * Every popular name the candidate imitates, best first (AI targets, then the most popular). Empty for popular
   * names, names too short to judge, and npm names in a scope a popular package uses.
   */
  match(candidate: string): Lookalike[] {
    if (this.rank.has(candidate)) return [];
    const scope = scopeOf(candidate);
    if (scope !== undefined && this.trustedScopes.has(scope)) return [];
    const found = new Map<string, Lookalike>();
    const add = (target: Target, kind: LookalikeKind, extra: { edit?: EditKind; affix?: string } = {}): void => {
      if (target.name === candidate || found.has(target.name)) return;
      found.set(target.name, { target: target.name, kind, ...extra, ai: target.ai, rank: target.rank });
    };
    const key = strip(candidate);
    const bare = scope === undefined ? candidate : candidate.slice(scope.length + 2);
    if (scope === undefined && key.length >= MIN_NAME_LENGTH) {
      for (const hit of this.byKey.near(key)) {
        // Equal without separators: a separator trick. One edit apart without separators counts only when the names
        // as written are one edit apart too: a separator change plus a typo (`bcrypt-ts`, `bcryptjs`) is two edits.
        if (hit.edit === undefined) {
          add(hit.value, "separators");
          continue;
        }
        const edit = singleEdit(candidate, hit.value.name);
        if (edit === undefined) continue;
        // One edit on a short name usually makes another word (`weaver`, `openag`): only keyboard slips count there.
        if (hit.key.length < ANY_EDIT_LENGTH && !plausibleSlip(candidate, hit.value.name, edit)) continue;
        add(hit.value, "edit", { edit });
      }
    }
    if (this.ecosystem === "npm") this.matchScopeTricks(candidate, scope, bare, add);
    if (scope === undefined) this.matchAffixes(key, candidate, add);
    return [...found.values()].sort((a, b) => Number(b.ai) - Number(a.ai) || a.rank - b.rank);
  }

  private indexTarget(target: Target): void {
    const { name, scope } = target;
    const bare = scope === undefined ? name : name.slice(scope.length + 2);
    const bareKey = strip(bare);
    if (scope === undefined && bareKey.length >= MIN_NAME_LENGTH) this.byKey.add(bareKey, target);
    if (this.ecosystem === "npm" && scope !== undefined) {
      push(this.byBareName, bare, target);
      // `@anthropic-ai/sdk` → `anthropic-ai-sdk` and `anthropic-sdk` (the scope's first word).
      // The scope's first word alone only for AI packages: `react-ssr` is no imitation of `@react-aria/ssr`.
      const dash = target.ai ? scope.indexOf("-") : -1;
      for (const form of dash > 0 ? [scope + bareKey, scope.slice(0, dash) + bareKey] : [scope + bareKey]) {
        const key = strip(form);
        if (key.length >= MIN_NAME_LENGTH + 3 && !this.flattened.has(key)) this.flattened.set(key, target);
      }
    }
    if (scope === undefined) {
      if (this.ecosystem === "npm" && bareKey.length >= MIN_NAME_LENGTH && !this.unscopedByKey.has(bareKey)) this.unscopedByKey.set(bareKey, target);
      if (target.ai && bareKey.length >= 4 && !this.aiByKey.has(bareKey)) this.aiByKey.set(bareKey, target);
    }
  }

  private matchScopeTricks(candidate: string, scope: string | undefined, bare: string, add: AddFn): void {
    if (scope === undefined) {
      const target = this.flattened.get(strip(candidate));
      if (target) add(target, "unscoped");
      return;
    }
    if (strip(scope).length < MIN_SCOPE_LENGTH) return;
    // `@anthropic/sdk`, `@anthropics-ai/sdk` for `@anthropic-ai/sdk`: same name, a scope that resembles the real one.
    for (const target of this.byBareName.get(bare) ?? []) {
      if (target.scope === undefined || !scopesResemble(scope, target.scope)) continue;
      const edit = singleEdit(candidate, target.name);
      if (edit !== undefined) add(target, "edit", { edit });
      else add(target, "scope");
    }
    // `@open-ai/openai`, `@openai-sdk/openai` for `openai`.
    const target = this.unscopedByKey.get(strip(bare));
    if (target && scopesResemble(scope, target.name)) add(target, "rescoped");
  }

  private matchAffixes(key: string, candidate: string, add: AddFn): void {
    for (const suffix of AI_SUFFIXES) {
      if (!key.endsWith(suffix)) continue;
      const target = this.aiByKey.get(key.slice(0, -suffix.length));
      if (target) add(target, "affix", { affix: affixAsWritten(candidate, suffix, "suffix") });
    }
    for (const prefix of AI_PREFIXES) {
      if (!key.startsWith(prefix)) continue;
      const target = this.aiByKey.get(key.slice(prefix.length));
      if (target) add(target, "affix", { affix: affixAsWritten(candidate, prefix, "prefix") });
    }
  }
}

type AddFn = (target: Target, kind: LookalikeKind, extra?: { edit?: EditKind; affix?: string }) => void;

/** The matcher for a popular-name list, built once per list object (facts are loaded once per run). */
const cache = new WeakMap<readonly string[], { ai: ReadonlySet<string>; matcher: LookalikeMatcher }>();

/** A matcher for `names`, reused while the same list and AI set are passed. */
export function matcherFor(ecosystem: Ecosystem, names: readonly string[], ai: ReadonlySet<string>): LookalikeMatcher {
  const hit = cache.get(names);
  if (hit && hit.ai === ai && hit.matcher.ecosystem === ecosystem) return hit.matcher;
  const matcher = new LookalikeMatcher(ecosystem, names, ai);
  cache.set(names, { ai, matcher });
  return matcher;
}

/** The npm scope of a name without `@` (`anthropic-ai` for `@anthropic-ai/sdk`), or undefined. */
export function scopeOf(name: string): string | undefined {
  if (!name.startsWith("@")) return undefined;
  const slash = name.indexOf("/");
  return slash > 1 ? name.slice(1, slash) : undefined;
}

/** The name without `-`, `_` and `.`: the form separator tricks collapse to. */
export function strip(name: string): string {
  // Most names have a separator or two: one native replace beats building the string a character at a time.
  return name.includes("-") || name.includes("_") || name.includes(".") ? name.replace(SEPARATORS, "") : name;
}

const SEPARATORS = /[-_.]/g;

/**
 * Whether a candidate's scope `scope` would pass for the real `real` (another scope, or an unscoped name): equal
 * without separators (`@anthropicai`), one edit apart (`@antrhopic-ai`), the real one with words dropped
 * (`@anthropic` for `@anthropic-ai`), or the real one with a decorating word added (`@openai-sdk` for `openai`). Other
 * added words make community scopes, not look-alikes (`@react-native-tvos`, `@dnd-kit-svelte`).
 */
function scopesResemble(scope: string, real: string): boolean {
  if (scope === real) return false;
  const ks = strip(scope);
  const kr = strip(real);
  if (Math.min(ks.length, kr.length) < MIN_SCOPE_LENGTH) return false;
  if (ks === kr || singleEdit(ks, kr) !== undefined) return true;
  if (real.startsWith(`${scope}-`)) return true;
  if (!scope.startsWith(`${real}-`)) return false;
  return scope.slice(real.length + 1).split("-").every((word) => DECORATION_WORDS.has(word));
}

/** Words that dress up a name without changing what it says (`@openai-sdk`, `@anthropic-official`). */
const DECORATION_WORDS: ReadonlySet<string> = new Set([
  "ai", "sdk", "api", "js", "node", "official", "inc", "hq", "labs", "team", "dev", "io", "org", "app", "client", "lib",
]);

/** The affix with the separator the candidate wrote next to it (`-sdk`, `_api`, `py`). */
function affixAsWritten(candidate: string, word: string, where: "prefix" | "suffix"): string {
  if (where === "suffix") {
    const before = candidate.charAt(candidate.length - word.length - 1);
    return isSeparator(before) ? `${before}${word}` : word;
  }
  const after = candidate.charAt(word.length);
  return isSeparator(after) ? `${word}${after}` : word;
}

function isSeparator(ch: string): boolean {
  return ch === "-" || ch === "_" || ch === ".";
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
