import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Ecosystem } from "../../graph/package-node.js";
import { loadPopularNames, loadTyposquatFacts } from "../../sources/popular.js";
import { LookalikeMatcher, matcherFor, scopeOf, strip } from "./matcher.js";
import type { Lookalike } from "./matcher.js";

/** The best match for a name against the bundled data, as "kind target" (or "" for none). */
function best(ecosystem: Ecosystem, name: string): string {
  const { ai } = loadTyposquatFacts();
  const [match] = matcherFor(ecosystem, loadPopularNames()[ecosystem], ai[ecosystem]).match(name);
  return match ? describe1(match) : "";
}

function describe1(match: Lookalike): string {
  return `${match.kind}${match.edit ? `/${match.edit}` : ""}${match.affix ? `/${match.affix}` : ""} ${match.target}${match.ai ? " [ai]" : ""}`;
}

describe("LookalikeMatcher on the bundled popular names", () => {
  const cases: Array<[Ecosystem, string, string]> = [
    // edits
    ["pypi", "litelm", "edit/deletion litellm [ai]"],
    ["pypi", "opeanai", "edit/insertion openai [ai]"],
    ["npm", "opeanai", "edit/insertion openai [ai]"],
    ["npm", "openia", "edit/transposition openai [ai]"],
    ["pypi", "hugginface-hub", "edit/deletion huggingface-hub [ai]"],
    ["pypi", "reqeusts", "edit/transposition requests"],
    ["npm", "lodahs", "edit/transposition lodash"],
    ["npm", "expresss", "edit/insertion express"],
    // separators
    ["pypi", "lite-llm", "separators litellm [ai]"],
    ["pypi", "litellm-", "separators litellm [ai]"],
    ["npm", "open-ai", "separators openai [ai]"],
    ["npm", "crossenv", "separators cross-env"],
    ["pypi", "llamaindex", "separators llama-index [ai]"],
    // npm scopes
    ["npm", "anthropic-sdk", "unscoped @anthropic-ai/sdk [ai]"],
    ["npm", "anthropic-ai-sdk", "unscoped @anthropic-ai/sdk [ai]"],
    ["npm", "@anthropic/sdk", "scope @anthropic-ai/sdk [ai]"],
    ["npm", "@anthropicai/sdk", "edit/deletion @anthropic-ai/sdk [ai]"],
    ["npm", "@anthropic-ai-sdk/sdk", "scope @anthropic-ai/sdk [ai]"],
    ["npm", "@antrhopic-ai/sdk", "edit/transposition @anthropic-ai/sdk [ai]"],
    ["npm", "@open-ai/openai", "rescoped openai [ai]"],
    ["npm", "@openai-sdk/openai", "rescoped openai [ai]"],
    ["npm", "types-node", "unscoped @types/node"],
    // decorated AI names
    ["pypi", "anthropic-sdk", "affix/-sdk anthropic [ai]"],
    ["pypi", "pyopenai", "affix/py openai [ai]"],
    ["pypi", "openai-python", "affix/-python openai [ai]"],
    ["npm", "openai-api", "affix/-api openai [ai]"],
    // real packages and things that are not look-alikes
    ["npm", "openai", ""],
    ["npm", "@anthropic-ai/sdk", ""],
    ["npm", "react", ""],
    ["npm", "preact", ""],
    ["npm", "colors", ""],
    ["npm", "color", ""],
    ["pypi", "anthropic", ""],
    ["pypi", "litellm", ""],
    ["pypi", "langchain-openai", ""],
    ["npm", "@openai/openai", ""], // the @openai scope belongs to OpenAI: nobody else can publish there
    ["npm", "@types/nodee", ""], // same scope as @types/node: same owner
    ["npm", "@react-native-tvos/virtualized-lists", ""], // a community scope, not a look-alike one
    ["npm", "react-ssr", ""], // only AI packages are matched by their scope's first word
    ["pypi", "weaver", ""], // a new last letter on a short name makes another word
    ["pypi", "openag", ""], // a far-away key
    ["npm", "axio", ""], // under the minimum length
  ];
  for (const [ecosystem, name, expected] of cases) {
    it(`${ecosystem} ${name} → ${expected || "nothing"}`, () => assert.equal(best(ecosystem, name), expected));
  }

  it("orders AI targets first, then the most popular", () => {
    const matcher = new LookalikeMatcher("pypi", ["transfomer", "transformers", "transfomerz"], new Set(["transformers"]));
    assert.deepEqual(matcher.match("transfomers").map((m) => m.target), ["transformers", "transfomer", "transfomerz"]);
  });

  it("never matches a name against itself, and treats every listed name as real", () => {
    const matcher = new LookalikeMatcher("npm", ["openai", "openia"], new Set(["openai"]));
    assert.deepEqual(matcher.match("openia"), []);
    assert.equal(matcher.isPopular("openia"), true);
  });

  it("reuses one matcher per list (the index is built once per run)", () => {
    const { ai } = loadTyposquatFacts();
    const names = loadPopularNames().npm;
    assert.equal(matcherFor("npm", names, ai.npm), matcherFor("npm", names, ai.npm));
  });
});

describe("name helpers", () => {
  it("splits scopes and strips separators", () => {
    assert.equal(scopeOf("@anthropic-ai/sdk"), "anthropic-ai");
    assert.equal(scopeOf("openai"), undefined);
    assert.equal(strip("lite_llm-x.y"), "litellmxy");
  });
});
