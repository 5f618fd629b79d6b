// The PyPI JSON API (https://docs.pypi.org/api/json/): `GET <base>/<name>/json` answers with the project's
// `releases` (every version, each a list of files with `digests.sha256`, `upload_time_iso_8601`, `yanked`,
// `yanked_reason`). One request per project gives every locked version's facts. A 404 means the project is not
// served: never existed, deleted, or quarantined (PyPI hides a quarantined project from installers and the API).
import { eq, valid } from "@renovatebot/pep440";
import type { RegistryPackageFacts, RegistryVersionFacts } from "./types.js";

/** The JSON API URL of a project: `<base><name>/json`, base ending in `/pypi/`. */
export function pypiProjectUrl(jsonApi: string, name: string): string {
  const base = jsonApi.endsWith("/") ? jsonApi : `${jsonApi}/`;
  return `${base}${encodeURIComponent(name)}/json`;
}

/**
 * Reads a project JSON document. A release is yanked when all its files are (PyPI yanks whole releases, PEP 592,
 * and marks every file); its publish time is its earliest file upload. Undefined when the body has no `releases`.
 */
export function parsePypiProject(body: unknown, name: string, registry: string): RegistryPackageFacts | undefined {
  if (!isObject(body) || !isObject(body.releases)) return undefined;
  const versions = new Map<string, RegistryVersionFacts>();
  for (const [version, files] of Object.entries(body.releases)) {
    if (!Array.isArray(files)) continue;
    const facts: RegistryVersionFacts = { version };
    const digests: string[] = [];
    let earliest: number | undefined;
    let yanked = files.length > 0;
    let reason: string | undefined;
    for (const file of files) {
      if (!isObject(file)) continue;
      const sha256 = isObject(file.digests) ? file.digests.sha256 : undefined;
      if (typeof sha256 === "string" && sha256 !== "") digests.push(sha256.toLowerCase());
      const uploaded = typeof file.upload_time_iso_8601 === "string" ? Date.parse(file.upload_time_iso_8601) : NaN;
      if (!Number.isNaN(uploaded) && (earliest === undefined || uploaded < earliest)) earliest = uploaded;
      if (file.yanked !== true) yanked = false;
      else if (typeof file.yanked_reason === "string" && file.yanked_reason !== "") reason ??= file.yanked_reason;
    }
    if (earliest !== undefined) facts.published = new Date(earliest).toISOString();
    if (digests.length > 0) facts.fileSha256 = digests;
    if (yanked) facts.yanked = reason !== undefined ? { reason } : {};
    versions.set(version, facts);
  }
  return { ecosystem: "pypi", name, registry, state: versions.size > 0 ? "present" : "gone", versions, signsAll: false };
}

/**
 * The facts of a locked PyPI version: by exact string, else by PEP 440 equality (a lock may write `2.0` for the
 * release PyPI lists as `2.0.0`, or normalise `1.0rc1` spelled `1.0-rc.1` on upload).
 */
export function pypiVersion(facts: RegistryPackageFacts, version: string): RegistryVersionFacts | undefined {
  const exact = facts.versions.get(version);
  if (exact || !valid(version)) return exact;
  for (const [key, value] of facts.versions) {
    if (valid(key) && eq(key, version)) return value;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
