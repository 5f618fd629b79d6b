#!/usr/bin/env node
// Regenerates data/popular-packages.json: the package names typosquats imitate, per ecosystem, most popular first.
//
// The lists come from public registry statistics (npm monthly download counts, the PyPI ranking of the 15,000 most
// downloaded projects) mirrored in the development environment as tab-separated files. CI never needs this script:
// the JSON it writes is the committed data, reviewed like any other data file. Run it only to refresh that data:
//
//   npm run build && node scripts/build-popular-packages.mjs [--npm <npm.tsv>] [--pypi <pypi.tsv>] [--dist dist] [--check]
//
// What goes in, per ecosystem:
// 1. the TOP most popular names (npm by downloads a month, PyPI by download rank);
// 2. every package name of the AI catalog (data/ai-catalog.json): the targets that matter most;
// 3. "established look-alikes": less popular but still widely used names (npm: at least ESTABLISHED_NPM_DOWNLOADS a
//    month and no security-holding version; PyPI: in the ranked 15,000) that the typosquat rule's own matcher would
//    report against a name already in, repeated to a fixed point. They are real packages the rule must not report
//    (`preact` next to `react`, `mssql` next to `mysql`), and being in the list is what exempts them. An npm name under
//    VETTED_NPM_DOWNLOADS with no description, or with its target's description copied, is left out: that is what a
//    squat looks like (`compresion`), and the script lists those for review.
// Names are ordered by popularity; catalog names without a known popularity come last, in catalog order.
// PyPI names are PEP 503-normalised (https://peps.python.org/pep-0503/#normalized-names).
import { readFileSync, writeFileSync } from "node:fs";

const TOP = { npm: 5000, pypi: 5000 };
const ESTABLISHED_NPM_DOWNLOADS = 20_000;
const VETTED_NPM_DOWNLOADS = 1_000_000;
const DEFAULT_TSV = { npm: "/work/.library/env/packages/npm.tsv", pypi: "/work/.library/env/packages/pypi.tsv" };
const OUTPUT = new URL("../data/popular-packages.json", import.meta.url);

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** PEP 503: lower case, runs of `-`, `_`, `.` become one `-`. */
function pep503(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** Rows of a TSV file as objects keyed by its header line. */
function readTsv(path) {
  const lines = readFileSync(path, "utf8").split("\n");
  const header = (lines[0] ?? "").split("\t");
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const cells = lines[i].split("\t");
    const row = {};
    header.forEach((column, j) => (row[column] = cells[j] ?? ""));
    rows.push(row);
  }
  return rows;
}

/** Every name, most popular first, with its summary and whether it counts as established. */
function rankedNpm(path) {
  return readTsv(path)
    .filter((row) => row.name)
    .map((row) => ({ name: row.name, score: Number(row.downloads_a_month) || 0, version: row.version, summary: row.summary.trim() }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1))
    .map((row) => ({
      name: row.name,
      summary: row.summary,
      established: row.score >= ESTABLISHED_NPM_DOWNLOADS && !row.version.includes("security"),
      // Widely used enough that a copied description means shared authorship (`babel-generator`), not a squat.
      vetted: row.score >= VETTED_NPM_DOWNLOADS,
    }));
}

function rankedPypi(path) {
  const best = new Map();
  for (const row of readTsv(path)) {
    const rank = Number(row.rank_among_15000_most_downloaded);
    if (!row.name || !rank) continue;
    const name = pep503(row.name);
    if (!best.has(name) || best.get(name).rank > rank) best.set(name, { rank, summary: row.summary.trim() });
  }
  // Typosquats do not reach the ranked 15,000 (and forks such as `elasticsearch7` copy descriptions legitimately).
  return [...best].sort((a, b) => a[1].rank - b[1].rank).map(([name, { summary }]) => ({ name, summary, established: true, vetted: true }));
}

/** A summary worth comparing: lower case, spaces collapsed. */
function comparable(summary) {
  return summary.toLowerCase().replace(/\s+/g, " ");
}

function build(ecosystem, ranked, catalog, LookalikeMatcher) {
  const position = new Map(ranked.map((row, i) => [row.name, i]));
  const summary = new Map(ranked.map((row) => [row.name, comparable(row.summary)]));
  const chosen = new Set(ranked.slice(0, TOP[ecosystem]).map((row) => row.name));
  for (const entry of catalog.entries()) if (entry.ecosystem === ecosystem) chosen.add(entry.name);
  // Stable sort: catalog names without a known popularity keep catalog order at the end.
  const ordered = () => [...chosen].sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity));
  const suspicious = new Map();
  // To a fixed point: an established name that the rule would report against an added one (`mssql` next to `mysql`)
  // is added too.
  for (let added = true; added;) {
    added = false;
    const names = ordered();
    // AI names as the rule sees them (src/sources/popular.ts): catalog entries by name or pattern.
    const matcher = new LookalikeMatcher(ecosystem, names, new Set(names.filter((name) => catalog.has(ecosystem, name))));
    for (const row of ranked) {
      if (!row.established || chosen.has(row.name)) continue;
      const hits = matcher.match(row.name);
      if (hits.length === 0) continue;
      // A little-used look-alike without a description, or with its target's description copied (`compresion`:
      // "Node.js compression middleware"), is what a typosquat looks like: it stays reportable. Flattened scoped
      // names (`babel-cli` for `@babel/cli`) are usually the same project's older packages.
      const own = comparable(row.summary);
      const copied = row.vetted ? undefined
        : hits.find((hit) => hit.kind !== "unscoped" && (own === "" || own === summary.get(hit.target)));
      if (copied) {
        suspicious.set(row.name, copied.target);
        continue;
      }
      chosen.add(row.name);
      added = true;
    }
  }
  for (const [name, target] of suspicious) {
    if (!chosen.has(name)) console.error(`${ecosystem}: left reportable: ${name} (looks like ${target}; no description of its own)`);
  }
  return ordered();
}

async function main() {
  // The rule's own matcher and the catalog loader, so the data and the rule agree on what a look-alike is.
  const dist = option("--dist", "dist");
  const load = (path) => import(new URL(`../${dist}/${path}`, import.meta.url).href).catch(() => {
    console.error(`build first (npm run build): this script uses ${dist}/${path}`);
    process.exit(1);
  });
  const { LookalikeMatcher } = await load("rules/typosquat/matcher.js");
  const catalog = (await load("catalog/catalog.js")).loadCatalog();
  const lists = {
    npm: build("npm", rankedNpm(option("--npm", DEFAULT_TSV.npm)), catalog, LookalikeMatcher),
    pypi: build("pypi", rankedPypi(option("--pypi", DEFAULT_TSV.pypi)), catalog, LookalikeMatcher),
  };
  // One name a line, unindented: reviewable diffs when the data is refreshed, and a small file.
  const text = `{\n${Object.entries(lists).map(([ecosystem, names]) =>
    `"${ecosystem}": [\n${names.map((n) => JSON.stringify(n)).join(",\n")}\n]`).join(",\n")}\n}\n`;
  if (process.argv.includes("--check")) {
    const current = readFileSync(OUTPUT, "utf8");
    if (current !== text) {
      console.error("data/popular-packages.json is out of date: run node scripts/build-popular-packages.mjs");
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUTPUT, text);
  console.log(`data/popular-packages.json: npm ${lists.npm.length} names, pypi ${lists.pypi.length} names, ${text.length} bytes`);
}

await main();
