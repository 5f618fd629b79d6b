import { redactCredentials } from "../ecosystems/pip/requirement-target.js";
import type { FindingDraft, Rule } from "./rule.js";
import { DEFAULT_REGISTRIES, count, fetchUrls, groupBy, hostAllowed, hostOf, listSome, nameVersion, packageOf } from "./support/supply-chain.js";
import type { FetchUrl } from "./support/supply-chain.js";

/** pip options that add a place packages are taken from (`trusted-host` names a host, not a source). */
const INDEX_OPTIONS: ReadonlySet<string> = new Set(["index-url", "extra-index-url", "find-links"]);

/**
 * AIW-SOURCE-003: registry packages resolved from a host that is not an approved registry (`allowedRegistries` in the
 * configuration; by default the public npm and PyPI hosts), and pip index options that point elsewhere. A lockfile
 * that suddenly resolves from another host is how mirror substitution and dependency confusion show up. One finding
 * per file and host.
 */
export const unapprovedRegistry: Rule = {
  id: "AIW-SOURCE-003",
  title: "Packages resolve from a registry that is not approved",
  severity: "high",
  docs: {
    what: "A registry package whose recorded URL (npm/yarn classic `resolved`, a pnpm `tarball`, a uv `source.registry`, a Poetry `[package.source]` url) is on a host outside `allowedRegistries`, and pip `--index-url`, `--extra-index-url` or `--find-links` options naming such a host. Default approved hosts: registry.npmjs.org, registry.yarnpkg.com, pypi.org, files.pythonhosted.org; setting `allowedRegistries` replaces them, and `*.example.com` approves every subdomain. Formats that do not record where a registry package came from (yarn berry, pnpm for its default registry, Poetry for PyPI, Pipfile.lock, npm locks written with `omit-lockfile-registry-resolved`) give nothing to check.",
    why: "Dependency confusion (2021) and the torchtriton compromise (PyTorch nightly, December 2022) both worked by making the installer take a package from another index than intended: pip merges every `--extra-index-url` with PyPI and installs the highest version it finds anywhere. A mirror or proxy that is not yours can serve any code under a trusted name. Listing the registries a project may use turns that into a visible change.",
    fix: "If the host is your organisation's registry or mirror, add it to `allowedRegistries` in the aiwarden configuration; otherwise point the package manager back at the approved registry and regenerate the lockfile. In pip, prefer one `--index-url` that proxies PyPI over `--extra-index-url`.",
    references: [
      "https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610",
      "https://pytorch.org/blog/compromised-nightly-dependency/",
      "https://docs.npmjs.com/cli/configuring-npm/npmrc#registry",
    ],
  },
  check(context) {
    const allowed = context.config.allowedRegistries ?? DEFAULT_REGISTRIES;
    const outside = fetchUrls(context).filter((f) => {
      const registry = f.node ? f.node.source === "registry" : f.option !== undefined && INDEX_OPTIONS.has(f.option);
      if (!registry) return false;
      const host = hostOf(f.url);
      return host !== undefined && !hostAllowed(host, allowed);
    });
    const groups = groupBy(outside, (f) => `${f.project.path}\u0000${f.file}\u0000${hostOf(f.url)}`);
    const drafts: FindingDraft[] = [];
    for (const [key, members] of groups) {
      const [, file, host] = key.split("\u0000") as [string, string, string];
      drafts.push(draft(members, file, host));
    }
    return drafts;
  },
};

function draft(members: FetchUrl[], file: string, host: string): FindingDraft {
  const first = members.reduce((a, b) => ((b.line ?? Infinity) < (a.line ?? Infinity) ? b : a));
  const project = first.project;
  const common = {
    severity: "high" as const,
    file,
    ...(first.line !== undefined ? { line: first.line } : {}),
    project: project.path,
    key: [file, host],
  };
  const approve = `If ${host} is your organisation's registry or mirror, add "${host}" to \`allowedRegistries\` in the aiwarden configuration`;
  const packages = members.filter((m) => m.node !== undefined);
  if (packages.length === 0) {
    const option = first.option ?? "index-url";
    const confusion = option === "extra-index-url" ? " pip merges it with PyPI and installs the highest version found on either, so a name published on one can shadow the other." : "";
    return {
      ...common,
      message: `${file} line ${first.line} sets --${option} ${redactCredentials(first.url)}, a host outside the approved registries.${confusion}`,
      fix: `${approve}; otherwise remove the option.${option === "extra-index-url" ? " For a private index, use one --index-url that proxies PyPI instead of an extra index." : ""}`,
    };
  }
  // AI packages first in the examples: those are the ones whose substitution matters most.
  const ordered = [...packages].sort((a, b) => rank(b) - rank(a));
  const names = ordered.map((m) => nameVersion(m.node as NonNullable<FetchUrl["node"]>));
  const node = packages.length === 1 ? packages[0]?.node : undefined;
  return {
    ...common,
    message: packages.length === 1
      ? `${names[0]} resolves from ${host} (${file}), which is not an approved registry: a mirror or index you do not control can serve any code under this name.`
      : `${count(packages.length, "package")} in ${file} resolve from ${host}, which is not an approved registry (${listSome(names)}): a mirror or index you do not control can serve any code under these names.`,
    fix: `${approve}; otherwise point the package manager at the approved registry and regenerate ${file}.`,
    ...(node ? { package: packageOf(project, node) } : {}),
  };
}

function rank(member: FetchUrl): number {
  const radius = member.node ? member.project.blastRadius(member.node) : "other";
  return radius === "ai" ? 2 : radius === "ai-subtree" ? 1 : 0;
}
