import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeNotices } from "./notices.js";
import { NOT_REACHED } from "./types.js";

const network = (host: string, reason: string) => ({ source: "network", host, reason, message: `network unreachable: ${host} (${reason}) — continuing with cached and shipped data` });

test("an unreachable host is one line per source that needed it, with the reason; other notices are kept once", () => {
  const merged = mergeNotices([
    { source: "osv", host: "api.osv.dev", message: `OSV not consulted (${NOT_REACHED}) — advisory checks rely on the shipped blocklist` },
    network("api.osv.dev", "DNS lookup failed, ENOTFOUND"),
    network("pypi.org", "DNS lookup failed, ENOTFOUND"),
    { source: "registry", host: "pypi.org", message: `registry facts from pypi.org are unavailable (${NOT_REACHED}); checks were skipped` },
    network("mirror.example:8443", "connection refused"),
    { source: "npm-advisories", message: "npm registry advisories: no answer; HTTP 405" },
    { source: "npm-advisories", message: "npm registry advisories: no answer; HTTP 405" },
  ]);
  assert.deepEqual(merged.map((n) => `${n.source}: ${n.message}`), [
    "osv: OSV not consulted (api.osv.dev unreachable: DNS lookup failed, ENOTFOUND; nothing cached) — advisory checks rely on the shipped blocklist",
    "registry: registry facts from pypi.org are unavailable (pypi.org unreachable: DNS lookup failed, ENOTFOUND; nothing cached); checks were skipped",
    // A host no source notice names keeps its own line.
    "network: network unreachable: mirror.example:8443 (connection refused) — continuing with cached and shipped data",
    "npm-advisories: npm registry advisories: no answer; HTTP 405",
  ]);
});

test("with no network notice a source's notice stays as it is; an --offline run says it was offline", () => {
  const unanswered = { source: "osv", host: "api.osv.dev", message: `OSV not consulted (${NOT_REACHED})` };
  assert.deepEqual(mergeNotices([unanswered]), [unanswered]);
  assert.deepEqual(mergeNotices([unanswered], { offline: true }).map((n) => n.message), ["OSV not consulted (--offline, and nothing cached)"]);
});
