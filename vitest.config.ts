import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("./", import.meta.url));
const alias = {
  "@/": root,
  // `server-only` throws outside React Server Components; tests import lib/server directly.
  "server-only": fileURLToPath(
    new URL("./lib/server/testing/server-only-stub.ts", import.meta.url),
  ),
};

export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    pool: "forks",
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          globals: true,
          environment: "node",
          include: [
            "lib/**/*.test.ts",
            "components/**/*.test.{ts,tsx}",
            "scripts/**/*.test.ts",
            "app/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          globals: true,
          environment: "node",
          // next-auth imports "next/server" without an extension; let Vite resolve it
          server: { deps: { inline: ["next-auth"] } },
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          globalSetup: ["lib/server/testing/global-setup-db.ts"],
          setupFiles: ["lib/server/testing/setup-db.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
