// Study-level statistics for the dashboard (docs/group-stats.md): random-effects Bayesian model
// selection over the stored per-participant fits (log evidence −BIC/2) beside the summed BIC, and
// the group practice effect on the switch cost for the participants and each model stream. Runs
// with data-quality flags are left out by default and listed with their reasons; `includeFlagged`
// puts them back. Per-run numbers (quality report, practice sums) are stored once per completed run
// and model practice sums come from the stream summaries (docs/group-stats.md), so a view reads no
// trial; `from: "trials"` recomputes everything from the trials (the tests' reference).
import "server-only";

import {
  type GroupPracticeEffect,
  type GroupStats,
  type PracticeEffectOptions,
  type PracticeSums,
  bmsRandomEffects,
  groupPracticeEffect,
  practiceEffectFromSums,
  practiceSums,
} from "@/lib/core/group-stats";
import { type QualityReport, assessQuality, qualityView } from "@/lib/core/quality";

import { ensureStreamSummaries, streamPracticeSums } from "./dashboard-summary";
import { getDb } from "./db";
import { qualityDesignFor } from "./quality";
import { requireOwnedStudy } from "./studies";

export const GROUP_PRACTICE_OPTIONS: Required<PracticeEffectOptions> = {
  window: 4,
  baselineFrom: 8,
  level: 0.95,
};

/** Where the per-run numbers come from: stored summaries (default) or every trial (the oracle). */
export type GroupStatsSource = "summaries" | "trials";

/**
 * Stored per-run group summary (a RunSwitchSummary row under its own key). Bump the version in the
 * key when assessQuality's checks or thresholds or practiceSums change: older rows are then ignored.
 */
type GroupSummary = { quality: QualityReport; practice: PracticeSums };
const GROUP_KEY = `group-v1|main|w${GROUP_PRACTICE_OPTIONS.window}|b${GROUP_PRACTICE_OPTIONS.baselineFrom}`;
/** Runs per summarising read. */
const BATCH = 100;

type RunRow = { id: string; config: unknown; expectedTrials: number; completedAt: Date | null };

const trialSelect = {
  runId: true,
  trialIndex: true,
  blockIndex: true,
  trialInBlock: true,
  response: true,
  correct: true,
  rtMs: true,
  timeElapsedMs: true,
} as const;

/**
 * Quality report and practice sums of each completed run, stored: a completed run takes no more
 * trials, so a row stamped with its completedAt stays true; runs without a current row are
 * summarised from their trials (once) and stored. Served from the trials with `from: "trials"`.
 */
async function groupSummaries(
  runs: readonly RunRow[],
  from: GroupStatsSource,
): Promise<Map<string, GroupSummary>> {
  const db = getDb();
  const out = new Map<string, GroupSummary>();
  if (from === "summaries" && runs.length > 0) {
    const stored = await db.runSwitchSummary.findMany({
      where: { runId: { in: runs.map((r) => r.id) }, key: GROUP_KEY },
      select: { runId: true, stamp: true, sums: true },
    });
    const completedAt = new Map(runs.map((r) => [r.id, r.completedAt?.getTime() ?? null]));
    for (const s of stored)
      if ((s.stamp?.getTime() ?? null) === completedAt.get(s.runId))
        out.set(s.runId, s.sums as GroupSummary);
  }
  const missing = runs.filter((r) => !out.has(r.id));
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const trials = await db.trial.findMany({
      where: { runId: { in: batch.map((r) => r.id) }, phase: "main" },
      select: trialSelect,
    });
    const byRun = groupBy(trials, (t) => t.runId);
    const fresh = batch.map((r) => {
      const ts = byRun.get(r.id) ?? [];
      const summary: GroupSummary = {
        quality: assessQuality(ts, qualityDesignFor(r.config, r.expectedTrials)),
        practice: practiceSums(ts, GROUP_PRACTICE_OPTIONS),
      };
      out.set(r.id, summary);
      return { run: r, ts, summary };
    });
    if (from === "trials") continue;
    await db.runSwitchSummary.deleteMany({
      where: { runId: { in: batch.map((r) => r.id) }, key: GROUP_KEY },
    });
    await db.runSwitchSummary.createMany({
      data: fresh.map(({ run, ts, summary }) => ({
        runId: run.id,
        key: GROUP_KEY,
        stamp: run.completedAt,
        blocks: new Set(ts.map((t) => t.blockIndex)).size,
        blockLength: ts.reduce((m, t) => Math.max(m, t.trialInBlock + 1), 0),
        trials: ts.length,
        sums: summary as object,
      })),
      skipDuplicates: true, // a concurrent first view stored the same rows
    });
  }
  return out;
}

/** Practice sums of finished server streams of these runs, per preset, in the runs' order. */
async function modelPracticeSums(
  ids: readonly string[],
  studyId: string,
  from: GroupStatsSource,
): Promise<Map<string, PracticeSums[]>> {
  const db = getDb();
  const where = { runId: { in: [...ids] }, status: "done" as const, source: "server" as const };
  const order = new Map(ids.map((id, i) => [id, i]));
  const byRunOrder = <T extends { runId: string | null; id: string }>(a: T, b: T) =>
    order.get(a.runId!)! - order.get(b.runId!)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const out = new Map<string, PracticeSums[]>();
  const push = (preset: string, s: PracticeSums) => {
    if (!out.has(preset)) out.set(preset, []);
    out.get(preset)!.push(s);
  };
  if (from === "trials") {
    const select = { blockIndex: true, trialInBlock: true, correct: true, response: true } as const;
    const streams = await db.modelRun.findMany({
      where,
      select: { id: true, runId: true, preset: true, trials: { select } },
    });
    for (const m of streams.sort(byRunOrder))
      push(m.preset, practiceSums(m.trials, GROUP_PRACTICE_OPTIONS));
    return out;
  }
  const read = async () => {
    await ensureStreamSummaries(studyId);
    const streams = await db.modelRun.findMany({
      where,
      select: { id: true, runId: true, preset: true },
    });
    const ids = streams.map((m) => m.id);
    return { streams, sums: await streamPracticeSums(ids, GROUP_PRACTICE_OPTIONS) };
  };
  let { streams, sums } = await read();
  // a stream that finished (or was rerun) after ensureStreamSummaries looked: summarise it too
  if (streams.some((m) => !sums.has(m.id))) ({ streams, sums } = await read());
  for (const m of streams.sort(byRunOrder)) {
    const s = sums.get(m.id);
    if (s) push(m.preset, s);
  }
  return out;
}

/**
 * Group statistics of an owned study (404 for anyone else). Completed, non-pilot runs only; with
 * `condition`, only that condition's runs.
 */
export async function fetchGroupStats(
  userId: string,
  studyId: string,
  opts: { includeFlagged?: boolean; from?: GroupStatsSource; condition?: string } = {},
): Promise<GroupStats> {
  const study = await requireOwnedStudy(userId, studyId);
  const includeFlagged = opts.includeFlagged ?? false;
  const from = opts.from ?? "summaries";
  const db = getDb();
  const runs = await db.run.findMany({
    where: {
      studyId: study.id,
      status: "completed",
      isPilot: false,
      ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
    },
    orderBy: { participantIndex: "asc" },
    select: {
      id: true,
      participantIndex: true,
      externalId: true,
      config: true,
      expectedTrials: true,
      completedAt: true,
    },
  });
  const summaries = await groupSummaries(runs, from);
  const quality = new Map(runs.map((r) => [r.id, summaries.get(r.id)!.quality]));
  const included = runs.filter((r) => includeFlagged || !quality.get(r.id)!.flagged);
  const ids = included.map((r) => r.id);
  const [modelSums, fits] = await Promise.all([
    modelPracticeSums(ids, study.id, from),
    db.fit.findMany({
      where: { studyId: study.id, runId: { in: ids } },
      orderBy: { createdAt: "asc" },
      select: { runId: true, model: true, bic: true },
    }),
  ]);
  const { level } = GROUP_PRACTICE_OPTIONS;
  const perRun = new Map(
    ids.map((id) => [id, practiceEffectFromSums(summaries.get(id)!.practice, level)]),
  );
  const models: Record<string, GroupPracticeEffect> = {};
  for (const [preset, list] of modelSums)
    models[preset] = groupPracticeEffect(
      list.map((s) => practiceEffectFromSums(s, level)),
      { level },
    );

  // newest fit per (run, model)
  const bic = new Map<string, Map<string, number>>();
  for (const f of fits) {
    const m = bic.get(f.runId!) ?? new Map<string, number>();
    m.set(f.model, f.bic);
    bic.set(f.runId!, m);
  }
  const modelNames = [...new Set(fits.map((f) => f.model))].sort();
  const complete = ids.filter((id) => modelNames.every((m) => bic.get(id)?.has(m)));
  let bms: GroupStats["bms"] = null;
  if (modelNames.length >= 2 && complete.length >= 1) {
    const rows = complete.map((id) => modelNames.map((m) => bic.get(id)!.get(m)!));
    bms = {
      ...bmsRandomEffects(
        rows.map((r) => r.map((b) => -b / 2)),
        modelNames,
      ),
      summedBic: modelNames.map((_, k) => rows.reduce((s, r) => s + r[k], 0)),
    };
  }

  return {
    includeFlagged,
    options: GROUP_PRACTICE_OPTIONS,
    participants: runs.map((r) => {
      const p = perRun.get(r.id);
      return {
        runId: r.id,
        participantIndex: r.participantIndex,
        externalId: r.externalId,
        included: perRun.has(r.id),
        quality: qualityView(quality.get(r.id)!),
        practice: p
          ? { error: p.error, rt: p.rt, notEstimable: p.notEstimable }
          : { error: null, rt: null, notEstimable: "left out (data-quality flags)" },
      };
    }),
    excluded: runs
      .filter((r) => !perRun.has(r.id))
      .map((r) => ({
        runId: r.id,
        participantIndex: r.participantIndex,
        reasons: qualityView(quality.get(r.id)!).reasons,
      })),
    practice: {
      human: groupPracticeEffect([...perRun.values()], { level }),
      models,
    },
    bms,
    bmsMissingFits: ids.length - complete.length,
  };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (k === null) continue;
    const list = out.get(k) ?? [];
    list.push(x);
    out.set(k, list);
  }
  return out;
}
