// `npm run db:seed` / `npm run demo`: seed the demo researcher, the (empty) demo study that anyone
// can take part in, and a clearly labelled SIMULATED study — 24 simulated participants (the
// "practice-reduced" rule-knower of the generator zoo: human-like accuracy and RTs, a switch cost
// that falls with practice) with both model streams computed on their own curricula exactly as the
// server job does — so the first dashboard a newcomer opens shows participants, the flexible and the
// forgetful model side by side. The design (16 blocks × 32 trials) was chosen by measurement
// (scripts/demo-design.ts; docs/demo.md says why). Idempotent: an existing simulated study is kept.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

import { generateCurriculum, participantSeedFor } from "../lib/core/curriculum";
import { studyConfigSchema } from "../lib/core/study-config";
import { getGenerator } from "../lib/model/fit/generators";
import { stimulusPresets } from "../lib/model/presets";
import { modelSeedFor } from "../lib/model/seeds";
import { closeDb, getDb } from "../lib/server/db";
import { computeModelStream, storeModelStream } from "../lib/server/model-streams";
import { DEMO_STUDY_SLUG, SIMULATED_STUDY_SLUG } from "../lib/server/studies";
import { upsertResearcher } from "../lib/server/users";
import { codeVersion } from "../lib/server/version";

export const DEMO_LOGIN = { email: "demo@nta.lab", password: "demo-password" };

/** The simulated study's design and size (see docs/demo.md for the measurement behind it). */
export const SIMULATED_DESIGN = { blocks: 16, trialsPerBlock: 32, participants: 24 };
export const SIMULATED_GENERATOR = "practice-reduced";

/**
 * Create the simulated study (closed: nobody can join it) with `participants` completed runs and
 * their flexible and forgetful model streams; returns its id. `onProgress` after each participant.
 */
export async function seedSimulatedStudy(
  ownerId: string,
  opts: {
    slug?: string;
    participants?: number;
    blocks?: number;
    trialsPerBlock?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<string> {
  const db = getDb();
  const slug = opts.slug ?? SIMULATED_STUDY_SLUG;
  const existing = await db.study.findUnique({ where: { slug } });
  if (existing) return existing.id;
  const n = opts.participants ?? SIMULATED_DESIGN.participants;
  const config = studyConfigSchema.parse({
    blocks: opts.blocks ?? SIMULATED_DESIGN.blocks,
    trialsPerBlock: opts.trialsPerBlock ?? SIMULATED_DESIGN.trialsPerBlock,
    practice: { trials: 8 },
    recruitment: { completionCode: "SIMULATED" },
  });
  const study = await db.study.create({
    data: {
      slug,
      title: "SIMULATED participants (demo data, not real people)",
      ownerId,
      config,
      status: "closed",
    },
  });
  const generator = getGenerator(SIMULATED_GENERATOR);
  for (let p = 0; p < n; p++) {
    const seed = participantSeedFor(config.seed, p);
    const curriculum = generateCurriculum(config, seed, p);
    const person = generator.generate({ config, curriculum, seed });
    const run = await db.run.create({
      data: {
        studyId: study.id,
        token: randomBytes(24).toString("base64url"),
        participantIndex: p,
        source: "direct",
        externalId: `simulated-${p + 1}`,
        seed,
        curriculum,
        config,
        codeVersion: codeVersion(),
        status: "completed",
        expectedTrials: curriculum.trials.length,
        completedAt: new Date(),
      },
    });
    await db.trial.createMany({
      data: person.trials.map(({ output: _o, loss: _l, gates: _g, ...t }) => ({
        ...t,
        runId: run.id,
      })),
    });
    for (const preset of ["flexible", "forgetful"] as const) {
      const modelSeed = modelSeedFor(seed, preset);
      const records = await computeModelStream(curriculum, preset, modelSeed);
      await storeModelStream({
        runId: run.id,
        studyId: study.id,
        preset,
        source: "server",
        params: stimulusPresets[preset].params,
        seed: modelSeed,
        records,
        expectedTrials: curriculum.trials.length,
      });
    }
    opts.onProgress?.(p + 1, n);
  }
  return study.id;
}

async function main() {
  const { values } = parseArgs({
    // --simulated N: simulated participants (default 24; 0 leaves the simulated study out)
    options: { simulated: { type: "string", default: String(SIMULATED_DESIGN.participants) } },
  });
  const participants = Number(values.simulated);
  if (!Number.isInteger(participants) || participants < 0 || participants > 500)
    throw new Error(`--simulated must be a whole number from 0 to 500, got "${values.simulated}"`);
  const t0 = performance.now();
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
  const simulatedId =
    participants === 0
      ? null
      : await seedSimulatedStudy(user.id, {
          participants,
          onProgress: (done, total) =>
            process.stdout.write(
              `\r  simulated study: participant ${done} of ${total} with both model streams (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
            ),
        });
  console.log(`\n  Seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  console.log("\n  Demo study:       http://localhost:3000/s/demo");
  if (simulatedId)
    console.log(`  Simulated study:  http://localhost:3000/studies/${simulatedId}/dashboard`);
  console.log(
    `  Researcher login: http://localhost:3000/login  email ${DEMO_LOGIN.email}  password ${DEMO_LOGIN.password}\n`,
  );
  await closeDb();
  process.exit(0);
}

if (process.argv[1]?.endsWith("seed-demo.ts"))
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
