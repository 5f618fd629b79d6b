// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Modules that must stay pure: parsers and rules receive text and return data (see STYLE.md §5). */
const pureModuleRestrictions = {
  "no-restricted-imports": ["error", {
    paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "net", "node:net", "http", "node:http",
      "https", "node:https", "child_process", "node:child_process"].map((name) => ({
      name, message: "Parsers and rules are pure: the scan layer does all I/O.",
    })),
  }],
  "no-restricted-globals": ["error", { name: "fetch", message: "Parsers and rules never touch the network." }],
};

export default tseslint.config(
  { ignores: ["dist/**", "dist-*/**", "node_modules/**", "bench/node_modules/**", "bench/.cache/**", "**/fixtures/**", "coverage/**", "src/generated/**", "src/**/wasm/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/ecosystems/**/*.ts", "src/graph/**/*.ts", "src/rules/**/*.ts", "src/report/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: pureModuleRestrictions,
  },
);
