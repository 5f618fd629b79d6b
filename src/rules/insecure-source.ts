import { redactCredentials } from "../ecosystems/pip/requirement-target.js";
import type { FindingDraft, Rule } from "./rule.js";
import { count, fetchUrls, groupBy, hostOf, isInsecureUrl, listSome, nameVersion, packageOf, schemeOf } from "./support/supply-chain.js";
import type { FetchUrl } from "./support/supply-chain.js";

/**
 * AIW-SOURCE-002: packages (or a pip index) fetched over a transport without encryption or authentication of the
 * server: `http://`, `git://`, `svn://`, `ftp://`, or a pip `--trusted-host` that turns certificate checks off. Anyone
 * on the network path — a café Wi-Fi, a compromised proxy, a cloud neighbour — can replace the code in flight.
 * One finding per file and host: the fix is the same for every package fetched from it.
 */
export const insecureSource: Rule = {
  id: "AIW-SOURCE-002",
  title: "Packages are fetched over an insecure transport",
  severity: "high",
  docs: {
    what: "A lockfile entry resolved from a plain `http://`, `git://`, `svn://` or `ftp://` URL, a pip `--index-url`, `--extra-index-url` or `--find-links` over `http://`, or a pip `--trusted-host` (which disables TLS certificate checks for that host). One finding per file and host.",
    why: "Without TLS (or SSH) nothing proves the server is who it claims and nothing protects the bytes on the way: a network attacker can serve modified packages, and with no integrity hash (AIW-HASH-001) nothing notices. `--trusted-host` has the same effect for an https index: any certificate is accepted.",
    fix: "Use the https:// (or ssh) URL of the same registry or repository, regenerate the lockfile, and remove `--trusted-host`; for a private index, give it a valid certificate instead.",
    references: [
      "https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host",
      "https://git-scm.com/book/en/v2/Git-on-the-Server-The-Protocols#_the_git_protocol",
    ],
  },
  check(context) {
    const insecure = fetchUrls(context).filter((f) => f.option === "trusted-host" || isInsecureUrl(f.url));
    const groups = groupBy(insecure, (f) => {
      const host = f.option === "trusted-host" ? f.url.toLowerCase() : hostOf(f.url);
      return host === undefined ? undefined : `${f.project.path}\u0000${f.file}\u0000${f.option === "trusted-host" ? "trusted-host" : schemeOf(f.url)}\u0000${host}`;
    });
    const drafts: FindingDraft[] = [];
    for (const [key, members] of groups) {
      const [, file, scheme, host] = key.split("\u0000") as [string, string, string, string];
      drafts.push(draft(members, file, scheme, host));
    }
    return drafts;
  },
};

function draft(members: FetchUrl[], file: string, scheme: string, host: string): FindingDraft {
  const first = members.reduce((a, b) => ((b.line ?? Infinity) < (a.line ?? Infinity) ? b : a));
  const project = first.project;
  const where = { file, ...(first.line !== undefined ? { line: first.line } : {}) };
  const common = { severity: "high" as const, ...where, project: project.path, key: [file, scheme, host] };
  if (scheme === "trusted-host") {
    return {
      ...common,
      message: `${file} passes --trusted-host ${host}: pip accepts any certificate (or plain http) from that host, so anyone on the network path can serve the packages.`,
      fix: `Remove \`--trusted-host ${host}\` and give the index a valid TLS certificate (or point pip at it with \`--cert\`).`,
    };
  }
  const packages = members.filter((m) => m.node !== undefined);
  const options = members.filter((m) => m.option !== undefined);
  const secure = scheme === "git" || scheme === "svn" ? "https:// or ssh://" : "https://";
  if (options.length > 0 && packages.length === 0) {
    const option = options[0] as FetchUrl;
    return {
      ...common,
      message: `${file} line ${option.line} sets --${option.option} ${redactCredentials(option.url)}: pip downloads every package it finds there over plain ${scheme}://, unencrypted and unauthenticated.`,
      fix: `Use the ${secure} URL of ${host} in --${option.option}.`,
    };
  }
  const names = packages.map((m) => nameVersion(m.node as NonNullable<FetchUrl["node"]>));
  const node = packages.length === 1 ? packages[0]?.node : undefined;
  return {
    ...common,
    message: packages.length === 1
      ? `${names[0]} is fetched over plain ${scheme}:// from ${host} (${file}): anyone on the network path can replace its code.`
      : `${count(packages.length, "package")} in ${file} ${packages.length === 1 ? "is" : "are"} fetched over plain ${scheme}:// from ${host} (${listSome(names)}): anyone on the network path can replace their code.`,
    fix: packages.every((m) => m.node?.source === "registry")
      ? `Set the registry URL to https://${host} (npm/yarn/pnpm \`registry\`, the index URL for Python tools) and regenerate ${file}.`
      : `Change the dependency to the ${secure} URL of ${host} and regenerate ${file}.`,
    ...(node ? { package: packageOf(project, node) } : {}),
  };
}
