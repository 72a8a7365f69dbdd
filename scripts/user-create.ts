// npm run user:create -- <email> <password> [name]   create a researcher (or reset their password)
import { closeDb } from "../lib/server/db";
import { upsertResearcher } from "../lib/server/users";

async function main() {
  const [email, password, ...name] = process.argv.slice(2);
  if (!email || !password) {
    console.error("usage: npm run user:create -- <email> <password> [name]");
    process.exit(2);
  }
  const user = await upsertResearcher({ email, password, name: name.join(" ") || undefined });
  console.log(`researcher ${user.email} ready (id ${user.id})`);
  await closeDb();
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
