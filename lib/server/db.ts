// The one place a PrismaClient is made (docs/ARCHITECTURE.md §4, §5).
// DATABASE_URL unset → embedded PGlite in a local data folder; postgresql://… → PostgreSQL server.
// Tests install their own client (a fresh in-memory PGlite or database per file) through
// installPrismaForTests before anything imports `prisma`.
import "server-only";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { readServerEnv } from "./env";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/prisma/client";

const globalForDb = globalThis as unknown as { __ntaPrisma?: PrismaClient; __ntaPglite?: PGlite };

export function createPrismaClient(): PrismaClient {
  const env = readServerEnv();
  if (env.DATABASE_URL) {
    return new PrismaClient({
      adapter: new PrismaPg({ connectionString: env.DATABASE_URL, max: 10 }),
    });
  }
  globalForDb.__ntaPglite = new PGlite(env.pgliteDir);
  return new PrismaClient({ adapter: new PrismaPGlite(globalForDb.__ntaPglite) });
}

/** Disconnect and, for PGlite, close the data folder (scripts call this before exiting). */
export async function closeDb() {
  await globalForDb.__ntaPrisma?.$disconnect();
  await globalForDb.__ntaPglite?.close();
  globalForDb.__ntaPrisma = undefined;
  globalForDb.__ntaPglite = undefined;
}

/** The app's PrismaClient, created on first use and kept on globalThis across hot reloads. */
export function getDb(): PrismaClient {
  globalForDb.__ntaPrisma ??= createPrismaClient();
  return globalForDb.__ntaPrisma;
}

/** For database tests only: use this client instead of the environment's. */
export function installPrismaForTests(client: PrismaClient) {
  globalForDb.__ntaPrisma = client;
}
