// Server-side jobs that survive a restart: a Job row per unit of work, claimed by a worker with
// FOR UPDATE SKIP LOCKED, progress written back to the row (docs/ARCHITECTURE.md §5: no in-memory promises).
import "server-only";

import type { StudyConfig } from "@/lib/core/study-config";

import { getDb } from "./db";

export type JobKind = "model-stream";

/** Queue one model-stream job per preset the study asks for, for a completed run. */
export async function enqueueModelStreams(runId: string, config: StudyConfig) {
  const db = getDb();
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { studyId: true } });
  if (config.model.presets.length === 0) return [];
  const jobs = await db.$transaction(
    config.model.presets.map((preset) =>
      db.job.create({
        data: { kind: "model-stream", payload: { runId, preset }, studyId: run.studyId, runId },
      }),
    ),
  );
  return jobs.map((j) => j.id);
}
