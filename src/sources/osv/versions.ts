// Version order per ecosystem, without I/O so rules may use it too: npm versions as semver (loose: a leading `v` or
// `=` is allowed; prereleases sort before their release), PyPI versions by PEP 440 (epochs, pre-, post- and
// dev-releases, local labels) through @renovatebot/pep440.
import { compare as pep440Compare, valid as pep440Valid } from "@renovatebot/pep440";
import semver from "semver";
import type { Ecosystem } from "../../graph/package-node.js";

/** Orders two versions of an ecosystem; undefined when either is not a valid version there. */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === "npm") {
    const left = semver.parse(a, { loose: true });
    const right = semver.parse(b, { loose: true });
    return left && right ? semver.compare(left, right) : undefined;
  }
  if (!pep440Valid(a) || !pep440Valid(b)) return undefined;
  return pep440Compare(a, b);
}
