// Server-side jobs that survive a restart: a Job row per unit of work, claimed by a worker with
// FOR UPDATE SKIP LOCKED, progress written back to the row (docs/ARCHITECTURE.md §5: no in-memory
// promises). Work is queued under a key: while a job with the same (kind, key) is queued or running,
// queueing it again returns that job — a database constraint, so it holds across requests, processes
// and instances.
import "server-only";

import { randomBytes } from "node:crypto";

import type { StudyConfig } from "@/lib/core/study-config";

import { getDb } from "./db";
import type { Job } from "./generated/prisma/client";

export type JobKind = "model-stream" | "fit" | "prediction";

/**
 * Queue a job unless one with the same (kind, key) is queued or running; returns the job and
 * whether it is new.
 */
export async function enqueueJob(input: {
  kind: JobKind;
  key: string;
  payload: object;
  studyId?: string | null;
  runId?: string | null;
}): Promise<{ job: Job; created: boolean }> {
  const db = getDb();
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = `job_${randomBytes(12).toString("hex")}`;
    const now = new Date();
    const rows = await db.$queryRaw<Job[]>`
      INSERT INTO "Job" ("id", "kind", "payload", "dedupeKey", "studyId", "runId",
                         "createdAt", "updatedAt", "runAfter")
      VALUES (${id}, ${input.kind}, ${JSON.stringify(input.payload)}::jsonb, ${input.key},
              ${input.studyId ?? null}, ${input.runId ?? null}, ${now}, ${now}, ${now})
      ON CONFLICT ("kind", "dedupeKey")
        WHERE "status" IN ('queued', 'running') AND "dedupeKey" IS NOT NULL
      DO NOTHING
      RETURNING *`;
    if (rows[0]) return { job: rows[0], created: true };
    const active = await db.job.findFirst({
      where: { kind: input.kind, dedupeKey: input.key, status: { in: ["queued", "running"] } },
    });
    if (active) return { job: active, created: false };
    // it finished between the two statements: try again
  }
  throw new Error(`could not queue ${input.kind} job ${input.key}`);
}

/**
 * Queue one model-stream job per preset the study asks for, for a completed run; a preset whose
 * job for this run is still queued or running is not queued twice.
 */
export async function enqueueModelStreams(runId: string, config: StudyConfig) {
  if (config.model.presets.length === 0) return [];
  const run = await getDb().run.findUniqueOrThrow({
    where: { id: runId },
    select: { studyId: true },
  });
  const jobs = [];
  for (const preset of config.model.presets)
    jobs.push(
      await enqueueJob({
        kind: "model-stream",
        key: `${runId}/${preset}`,
        payload: { runId, preset },
        studyId: run.studyId,
        runId,
      }),
    );
  return jobs;
}
