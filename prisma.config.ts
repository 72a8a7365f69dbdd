// Prisma CLI config. The native schema engine cannot be downloaded on our machines; `prisma generate`
// never runs it, so any executable satisfies the CLI's check (docs/ARCHITECTURE.md §6.3). Migrations go through
// scripts/db.ts on the wasm schema engine instead of `prisma migrate`.
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
