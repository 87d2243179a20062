// Lint TypeScript with the recommended typescript-eslint rules and a few typed ones; generated and vendored output is skipped.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Typed rules read the installed declarations too: an install that changes them changes this config, and so the hash
// eslint keys its cache with, and every file is linted again.
const installed = createHash("sha256")
  .update(readFileSync(new URL("node_modules/.package-lock.json", import.meta.url)))
  .digest("hex");

export default tseslint.config(
  { ignores: ["node_modules/", "coverage/", "reports/", "dist/", ".local/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        URL: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Mistakes only types reveal: a promise nobody waits for, an Output in a plain template, a new union member
    // a switch forgets. One program from tsconfig.json (every .ts file): 56 s of CPU from scratch here, 81 s with the
    // project service.
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.json"], tsconfigRootDir: import.meta.dirname },
    },
    settings: { installed },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/restrict-template-expressions": "error",
    },
  },
);
