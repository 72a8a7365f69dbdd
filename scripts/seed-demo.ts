// Seed the demo researcher and the demo study (idempotent). Prints the login.
import { studyConfigSchema } from "../lib/core/study-config";
import { closeDb, getDb } from "../lib/server/db";
import { DEMO_STUDY_SLUG } from "../lib/server/studies";
import { upsertResearcher } from "../lib/server/users";

export const DEMO_LOGIN = { email: "demo@nta.lab", password: "demo-password" };

async function main() {
  const db = getDb();
  const user = await upsertResearcher({ ...DEMO_LOGIN, name: "Demo Researcher" });
  const config = studyConfigSchema.parse({
    blocks: 8,
    trialsPerBlock: 16,
    practice: { trials: 8 },
    breakEveryBlocks: 4,
    recruitment: { completionCode: "DEMO-2026" },
  });
  await db.study.upsert({
    where: { slug: DEMO_STUDY_SLUG },
    create: {
      slug: DEMO_STUDY_SLUG,
      title: "Parity / magnitude switching (demo)",
      ownerId: user.id,
      config,
      status: "open",
    },
    update: {},
  });
  console.log("\n  Demo study:       http://localhost:3000/s/demo");
  console.log(
    `  Researcher login: http://localhost:3000/login  email ${DEMO_LOGIN.email}  password ${DEMO_LOGIN.password}\n`,
  );
  await closeDb();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
