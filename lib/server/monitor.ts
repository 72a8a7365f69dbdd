// Live monitoring of a study's runs for its owner: one row per run with progress and accuracy so
// far, aggregated in SQL (GROUP BY runId) so the cost does not grow with the number of trials
// loaded into memory, plus counts by status, and each run's data-quality flags (read only for runs
// whose saved trials changed since the last poll).
import "server-only";

import { qualityView } from "@/lib/core/quality";
import { RUN_STATUSES, type RunMonitorData, type RunMonitorRow } from "@/lib/core/run-monitor";

import { getDb } from "./db";
import { fetchRunsQuality } from "./quality";
import { markAbandonedRuns } from "./runs";
import { fetchOwnedStudy } from "./studies";

/** A run with no request for this long is shown (and stored) as abandoned. */
export const ABANDON_AFTER_MS = 30 * 60_000;

export type StudyMonitor = RunMonitorData & {
  study: { id: string; slug: string; title: string; status: string };
};

/** The monitor view of an owned study, or null when `userId` does not own it. */
export async function fetchStudyMonitor(
  userId: string,
  studyId: string,
  now = new Date(),
): Promise<StudyMonitor | null> {
  const study = await fetchOwnedStudy(userId, studyId);
  if (!study) return null;
  await markAbandonedRuns(ABANDON_AFTER_MS, now);
  const db = getDb();
  const [runs, trialGroups] = await Promise.all([
    db.run.findMany({
      where: { studyId: study.id },
      orderBy: { participantIndex: "asc" },
      select: {
        id: true,
        participantIndex: true,
        externalId: true,
        source: true,
        status: true,
        isPilot: true,
        expectedTrials: true,
        config: true,
        startedAt: true,
        lastSeenAt: true,
      },
    }),
    // SELECT "runId", correct, COUNT(*) FROM "Trial" … WHERE phase = 'main' GROUP BY "runId", correct
    db.trial.groupBy({
      by: ["runId", "correct"],
      where: { phase: "main", run: { studyId: study.id } },
      _count: { _all: true },
    }),
  ]);
  const tally = new Map<string, { saved: number; correct: number }>();
  for (const g of trialGroups) {
    const t = tally.get(g.runId) ?? { saved: 0, correct: 0 };
    t.saved += g._count._all;
    if (g.correct) t.correct += g._count._all;
    tally.set(g.runId, t);
  }
  const quality = await fetchRunsQuality(
    runs,
    new Map(runs.map((r) => [r.id, JSON.stringify(tally.get(r.id) ?? null)])),
  );
  const statusCounts = Object.fromEntries(
    RUN_STATUSES.map((s) => [s, 0]),
  ) as StudyMonitor["statusCounts"];
  const rows = runs.map((r): RunMonitorRow => {
    statusCounts[r.status] += 1;
    const t = tally.get(r.id) ?? { saved: 0, correct: 0 };
    return {
      id: r.id,
      participantIndex: r.participantIndex,
      externalId: r.externalId,
      source: r.source,
      status: r.status,
      isPilot: r.isPilot,
      savedTrials: t.saved,
      expectedTrials: r.expectedTrials,
      accuracy: t.saved > 0 ? t.correct / t.saved : null,
      quality: qualityView(quality.get(r.id)!),
      startedAt: r.startedAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
    };
  });
  return {
    study: { id: study.id, slug: study.slug, title: study.title, status: study.status },
    statusCounts,
    runs: rows,
    generatedAt: now.toISOString(),
  };
}
