import type { Rule } from "./rule.js";

/**
 * AIW-CONFIG-001: an ignore entry past its expiry date. Ignores carry a reason and a date so an accepted risk is
 * looked at again; once the date passes, the ignore stops applying (the engine reports the finding it covered again)
 * and this rule points at the stale entry.
 */
export const expiredIgnore: Rule = {
  id: "AIW-CONFIG-001",
  title: "Ignore entry has expired",
  severity: "medium",
  docs: {
    what: "An entry under `ignore:` in the configuration whose `expires` date has passed.",
    why: "Ignores are accepted risks with a deadline. After the deadline the finding is reported again, and the stale entry is reported so that someone decides anew instead of the exception living forever.",
    fix: "Fix the underlying finding and delete the entry, or renew it with a new `expires` date and a reason that still holds.",
  },
  check(context) {
    const file = context.config.file ?? "configuration";
    return context.config.ignore
      .filter((entry) => entry.expires < context.today)
      .map((entry) => {
        const what = entry.fingerprint ? `fingerprint ${entry.fingerprint}`
          : entry.secret ? `credential ${entry.secret}${entry.rule ? ` for ${entry.rule}` : ""}`
            : `${entry.rule}${entry.package ? ` for ${entry.package}` : entry.path ? ` in ${entry.path}` : ""}`;
        return {
          severity: "medium" as const,
          message: `The ignore of ${what} expired on ${entry.expires} (reason given: "${entry.reason}"); it no longer applies.`,
          fix: "Fix the finding it covered and remove the entry, or renew it with a new expires date and a current reason.",
          file,
          ...(entry.line !== undefined ? { line: entry.line } : {}),
          key: [entry.fingerprint ?? "", entry.rule ?? "", entry.package ?? "", entry.path ?? "", entry.expires, ...(entry.secret ? [entry.secret] : [])],
        };
      });
  },
};
