// Data-quality flags of a study's runs (lib/core/quality.ts, docs/quality.md) for the monitor, the
// exports and the study-level statistics. Reports are cached per run and recomputed only when the
// run's saved main trials change (the monitor polls every few seconds).
import "server-only";

import { type QualityDesign, type QualityReport, assessQuality } from "@/lib/core/quality";
import { defaultStudyConfig, studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";

/** The study design a run was made with (its stored config; the defaults if it does not parse). */
export function qualityDesignFor(config: unknown, expectedTrials: number): QualityDesign {
  const parsed = studyConfigSchema.safeParse(config);
  const c = parsed.success ? parsed.data : defaultStudyConfig();
  return { timing: c.timing, feedback: c.feedback, mainTrials: expectedTrials };
}

type RunRef = { id: string; config: unknown; expectedTrials: number };

const CACHE_MAX = 5000;
const cache = new Map<string, { version: string; report: QualityReport }>();

/**
 * Quality reports of these runs. `versions` (runId → e.g. the saved-trial count): a run whose
 * version is unchanged since the last call is served from the cache without reading its trials.
 */
export async function fetchRunsQuality(
  runs: readonly RunRef[],
  versions?: ReadonlyMap<string, string>,
): Promise<Map<string, QualityReport>> {
  const out = new Map<string, QualityReport>();
  const stale = runs.filter((r) => {
    const hit = versions && cache.get(r.id);
    if (hit && hit.version === versions.get(r.id)) {
      out.set(r.id, hit.report);
      return false;
    }
    return true;
  });
  if (stale.length === 0) return out;
  const trials = await getDb().trial.findMany({
    where: { runId: { in: stale.map((r) => r.id) }, phase: "main" },
    select: {
      runId: true,
      trialIndex: true,
      response: true,
      correct: true,
      rtMs: true,
      timeElapsedMs: true,
    },
  });
  const byRun = new Map<string, typeof trials>();
  for (const t of trials) {
    const list = byRun.get(t.runId) ?? [];
    list.push(t);
    byRun.set(t.runId, list);
  }
  for (const r of stale) {
    const report = assessQuality(
      byRun.get(r.id) ?? [],
      qualityDesignFor(r.config, r.expectedTrials),
    );
    out.set(r.id, report);
    if (versions?.has(r.id)) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(r.id, { version: versions.get(r.id)!, report });
    }
  }
  return out;
}
