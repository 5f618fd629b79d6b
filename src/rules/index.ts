// Every rule, in the order their documentation lists them. A literal list on purpose: `registry.test.ts` checks that
// every rule file is registered, has tests, a unique id and complete docs.
import type { Rule } from "./rule.js";

/** The rules `aiwarden scan` runs. */
export const rules: readonly Rule[] = [];
