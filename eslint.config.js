// Lint = typescript-eslint's recommended rules + the folder rules of docs/ARCHITECTURE.md §3 as no-restricted-imports.
// lint-fixtures/ holds files that must FAIL these rules; scripts/lint-rules.test.ts proves they do.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const patterns = (groups) => ({
  "no-restricted-imports": ["error", { patterns: groups }],
});

const react = {
  group: [
    "react",
    "react-dom",
    "react/*",
    "react-dom/*",
    "next",
    "next/*",
    "next-auth",
    "next-auth/*",
    "recharts",
  ],
  message: "UI and framework imports are not allowed here (docs/ARCHITECTURE.md §3).",
};
const prisma = {
  group: [
    "@prisma/*",
    "prisma",
    "pg",
    "@electric-sql/*",
    "pglite-prisma-adapter",
    "**/generated/prisma/**",
    "@/lib/server/*",
    "**/lib/server/**",
  ],
  message: "Database access belongs in lib/server only (docs/ARCHITECTURE.md §3).",
};
const jspsych = {
  group: ["jspsych", "@jspsych/*", "@/lib/experiment/*", "**/lib/experiment/**"],
  message: "jsPsych belongs in lib/experiment only (docs/ARCHITECTURE.md §3).",
};
const tf = {
  group: ["@tensorflow/*", "@/lib/model/*", "**/lib/model/**"],
  message: "TensorFlow.js belongs in lib/model only (docs/ARCHITECTURE.md §3).",
};
const app = {
  group: ["@/app/*", "**/app/**", "@/components/*", "**/components/**"],
  message: "Library code must not import routes or components.",
};

/** lib/core may import only zod (and its own files). */
const coreOnlyZod = {
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          regex: "^(?!zod$|zod/|\\./|\\.\\./|@/lib/core/).+",
          message: "lib/core is pure: it imports only zod and lib/core (docs/ARCHITECTURE.md §3).",
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      "lint-fixtures/**",
      ".next/**",
      "dist/**",
      "node_modules/**",
      "lib/server/generated/**",
      "public/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "reports/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        console: "readonly",
        process: "readonly",
        self: "readonly",
        navigator: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        URL: "readonly",
        fetch: "readonly",
        performance: "readonly",
        localStorage: "readonly",
        indexedDB: "readonly",
        Blob: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        ReadableStream: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        Buffer: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  { files: ["lib/core/**/*.ts", "lint-fixtures/core/**/*.ts"], rules: coreOnlyZod },
  {
    files: ["lib/model/**/*.ts", "lint-fixtures/model/**/*.ts"],
    rules: patterns([react, prisma, jspsych, app]),
  },
  {
    files: ["lib/experiment/**/*.ts", "lint-fixtures/experiment/**/*.ts"],
    rules: patterns([react, prisma, tf, app]),
  },
  {
    files: ["lib/server/**/*.ts"],
    ignores: ["lib/server/generated/**"],
    rules: patterns([react, jspsych, app]),
  },
  { files: ["components/**/*.{ts,tsx}"], rules: patterns([prisma]) },
  {
    files: ["server/**/*.ts"],
    rules: patterns([
      {
        group: ["react", "react-dom", "react/*", "recharts", "@/components/*", "**/components/**"],
        message:
          "The production server serves app/ routes; it renders no UI (docs/ARCHITECTURE.md §3).",
      },
      jspsych,
      tf,
    ]),
  },
  {
    files: ["scripts/**/*.ts"],
    rules: patterns([
      {
        group: ["@/app/*", "**/app/**", "@/components/*"],
        message: "Scripts use lib/*, never app/ or components/.",
      },
    ]),
  },
);
