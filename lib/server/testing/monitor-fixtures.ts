// A seeded study with many runs in every state for the monitor's tests and benchmark
// (scripts/bench-monitor.ts): statuses (some started/active runs silent for over 30 minutes, so the
// monitor shows them abandoned), pilots, Prolific ids or none, start and finish times, and main
// trials with a per-run accuracy, written with createMany. Returns what was written, so a test can
// filter, sort and page it in memory and compare.
import { createRng } from "@/lib/core/rng";
import type { RunStatus } from "@/lib/core/run-monitor";

import type { Db } from "../db";

export type SeededRun = {
  id: string;
  participantIndex: number;
  externalId: string | null;
  isPilot: boolean;
  storedStatus: RunStatus;
  startedAt: Date;
  lastSeenAt: Date;
  completedAt: Date | null;
  expectedTrials: number;
  saved: number;
  correct: number;
};

const MIN = 60_000;

export async function seedMonitorStudy(
  db: Db,
  opts: {
    ownerId: string;
    slug: string;
    runs: number;
    trialsPerRun: number;
    seed: number;
    now: Date;
    chunk?: number;
  },
): Promise<{ studyId: string; runs: SeededRun[] }> {
  const rng = createRng(opts.seed);
  const study = await db.study.create({
    data: {
      slug: opts.slug,
      title: `Monitor ${opts.slug}`,
      ownerId: opts.ownerId,
      status: "open",
      config: {},
    },
  });
  const now = opts.now.getTime();
  const runs: SeededRun[] = [];
  const trialRows: object[] = [];
  const statuses: RunStatus[] = ["started", "active", "completed", "abandoned", "returned"];
  const weights = [0.1, 0.2, 0.45, 0.1, 0.15];
  for (let p = 1; p <= opts.runs; p++) {
    let u = rng.next();
    let status: RunStatus = "completed";
    for (let k = 0; k < statuses.length; k++) {
      if (u < weights[k]) {
        status = statuses[k];
        break;
      }
      u -= weights[k];
    }
    const E = opts.trialsPerRun;
    const startedAt = now - Math.round(rng.next() * 3 * 24 * 60) * MIN - rng.int(60_000);
    let lastSeenAt: number;
    let completedAt: number | null = null;
    let saved: number;
    if (status === "completed") {
      completedAt = startedAt + (5 + rng.int(30)) * MIN + rng.int(60_000);
      lastSeenAt = completedAt;
      saved = E;
    } else if (status === "started" || status === "active") {
      // half of them silent for over 30 minutes: shown as abandoned
      const silent = rng.next() < 0.5;
      lastSeenAt = silent ? now - (31 + rng.int(600)) * MIN : now - rng.int(29 * MIN);
      lastSeenAt = Math.max(lastSeenAt, startedAt);
      saved = status === "started" ? 0 : 1 + rng.int(E - 1);
    } else {
      lastSeenAt = Math.min(now, startedAt + rng.int(40) * MIN + rng.int(60_000));
      saved = status === "returned" && rng.next() < 0.4 ? 0 : rng.int(E);
    }
    const pAcc = 0.5 + 0.5 * rng.next();
    let correct = 0;
    const id = `${opts.slug}-r${p}`;
    for (let i = 0; i < saved; i++) {
      const ok = rng.next() < pAcc;
      if (ok) correct++;
      trialRows.push({
        runId: id,
        phase: "main",
        trialIndex: i,
        blockIndex: Math.floor(i / 24),
        trialInBlock: i % 24,
        task: i % 2 ? "parity" : "magnitude",
        stimulus: String(1 + (i % 9)),
        correctResponse: "f",
        congruent: i % 3 === 0,
        response: ok ? "f" : "j",
        correct: ok,
        rtMs: 300 + rng.int(700),
      });
    }
    runs.push({
      id,
      participantIndex: p,
      externalId: rng.next() < 0.8 ? `PID${(p * 7919).toString(16).padStart(6, "0")}` : null,
      isPilot: rng.next() < 0.1,
      storedStatus: status,
      startedAt: new Date(startedAt),
      lastSeenAt: new Date(lastSeenAt),
      completedAt: completedAt === null ? null : new Date(completedAt),
      expectedTrials: E,
      saved,
      correct,
    });
  }
  await db.run.createMany({
    data: runs.map((r) => ({
      id: r.id,
      studyId: study.id,
      token: `${r.id}-${"t".repeat(24)}`,
      participantIndex: r.participantIndex,
      source: r.externalId ? "prolific" : "direct",
      externalId: r.externalId,
      externalStudyId: r.externalId ? "STUDY1" : null,
      externalSessionId: r.externalId ? `SES${r.participantIndex}` : null,
      isPilot: r.isPilot,
      seed: r.participantIndex,
      curriculum: {},
      config: {},
      codeVersion: "test",
      status: r.storedStatus,
      expectedTrials: r.expectedTrials,
      startedAt: r.startedAt,
      lastSeenAt: r.lastSeenAt,
      completedAt: r.completedAt,
    })),
  });
  const chunk = opts.chunk ?? 5000;
  for (let i = 0; i < trialRows.length; i += chunk)
    await db.trial.createMany({ data: trialRows.slice(i, i + chunk) as never });
  return { studyId: study.id, runs };
}
