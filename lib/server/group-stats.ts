// Study-level statistics for the dashboard (docs/group-stats.md): random-effects Bayesian model
// selection over the stored per-participant fits (log evidence −BIC/2) beside the summed BIC, and
// the group practice effect on the switch cost for the participants and each model stream. Runs
// with data-quality flags are left out by default and listed with their reasons; `includeFlagged`
// puts them back.
import "server-only";

import {
  type GroupPracticeEffect,
  type GroupStats,
  type PracticeEffectOptions,
  type SwitchTrial,
  bmsRandomEffects,
  groupPracticeEffect,
  participantPracticeEffect,
} from "@/lib/core/group-stats";
import { qualityView } from "@/lib/core/quality";

import { getDb } from "./db";
import { fetchRunsQuality } from "./quality";
import { requireOwnedStudy } from "./studies";

export const GROUP_PRACTICE_OPTIONS: Required<PracticeEffectOptions> = {
  window: 4,
  baselineFrom: 8,
  level: 0.95,
};

/**
 * Group statistics of an owned study (404 for anyone else). Completed, non-pilot runs only; with
 * `condition`, only that condition's runs.
 */
export async function fetchGroupStats(
  userId: string,
  studyId: string,
  opts: { includeFlagged?: boolean; condition?: string } = {},
): Promise<GroupStats> {
  const study = await requireOwnedStudy(userId, studyId);
  const includeFlagged = opts.includeFlagged ?? false;
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
    },
  });
  const quality = await fetchRunsQuality(runs);
  const included = runs.filter((r) => includeFlagged || !quality.get(r.id)!.flagged);
  const ids = included.map((r) => r.id);
  const select = { blockIndex: true, trialInBlock: true, correct: true, response: true } as const;
  const [humanTrials, modelRuns, fits] = await Promise.all([
    db.trial.findMany({
      where: { runId: { in: ids }, phase: "main" },
      select: { runId: true, rtMs: true, ...select },
    }),
    db.modelRun.findMany({
      where: { runId: { in: ids }, status: "done", source: "server" },
      select: { runId: true, preset: true, trials: { select } },
    }),
    db.fit.findMany({
      where: { studyId: study.id, runId: { in: ids } },
      orderBy: { createdAt: "asc" },
      select: { runId: true, model: true, bic: true },
    }),
  ]);
  const practiceOf = (ts: SwitchTrial[]) => participantPracticeEffect(ts, GROUP_PRACTICE_OPTIONS);
  const byRun = groupBy(humanTrials, (t) => t.runId);
  const perRun = new Map(ids.map((id) => [id, practiceOf(byRun.get(id) ?? [])]));
  const models: Record<string, GroupPracticeEffect> = {};
  for (const [preset, list] of groupBy(modelRuns, (m) => m.preset))
    models[preset] = groupPracticeEffect(
      list.map((m) => practiceOf(m.trials)),
      { level: GROUP_PRACTICE_OPTIONS.level },
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
      human: groupPracticeEffect([...perRun.values()], { level: GROUP_PRACTICE_OPTIONS.level }),
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
