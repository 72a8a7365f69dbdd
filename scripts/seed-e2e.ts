// Extra fixtures for the Playwright run (NTA_E2E=1 in scripts/e2e-server.mjs): short studies for
// participant flows, one with enough main trials (24 ≥ the quality checks' 20) for the fit e2e to
// judge a random responder, and a second researcher who must not see the demo researcher's studies.
import { studyConfigSchema } from "../lib/core/study-config";
import { closeDb, getDb } from "../lib/server/db";
import { upsertResearcher } from "../lib/server/users";

export const E2E_STRANGER = { email: "stranger@nta.lab", password: "stranger-password" };

async function main() {
  const db = getDb();
  const owner = await db.user.findUniqueOrThrow({ where: { email: "demo@nta.lab" } });
  await upsertResearcher({ ...E2E_STRANGER, name: "Stranger" });
  const port = process.env.E2E_PORT ?? "3100";
  const short = (redirectUrl: string, code: string, runInParticipantBrowser = false, blocks = 3) =>
    studyConfigSchema.parse({
      blocks,
      trialsPerBlock: 6,
      practice: { trials: 4, minAccuracy: 0.5, maxAttempts: 2 },
      breakEveryBlocks: 2,
      timing: { fixationMs: 100, responseWindowMs: 10_000, feedbackMs: 100, itiMs: 50 },
      recruitment: { completionCode: code, redirectUrl },
      model: { runInParticipantBrowser },
    });
  for (const [slug, config] of [
    ["e2e-short", short("", "E2E-CODE")],
    ["e2e-redirect", short(`http://127.0.0.1:${port}/?completed=1`, "E2E-REDIRECT")],
    ["e2e-model", short("", "E2E-MODEL", true)],
    ["e2e-fits", short("", "E2E-FITS", false, 4)],
  ] as const) {
    await db.study.upsert({
      where: { slug },
      create: { slug, title: `E2E ${slug}`, ownerId: owner.id, config, status: "open" },
      update: { config },
    });
  }
  await closeDb();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
