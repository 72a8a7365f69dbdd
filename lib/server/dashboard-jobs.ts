// Model-stream jobs from the researcher dashboards: queue server jobs for a study's completed runs
// (or one run) and report their progress for a polling progress bar. Reuses enqueueModelStreams.
import "server-only";

import { z } from "zod";

import type { ModelJobProgress, ModelJobsQueued } from "@/lib/core/api-responses";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";
import { HttpError, parseOr422 } from "./http";
import { enqueueModelStreams } from "./jobs";

export const enqueueRequestSchema = z
  .object({
    /** One run; omitted = every completed, non-pilot run of the study. */
    runId: z.string().min(1).max(64).optional(),
    /** Also rerun runs that already have finished server streams (default: only the missing ones). */
    rerun: z.boolean().default(false),
  })
  .strict();

/** Queue model-stream jobs; returns the job ids and when they were queued (for progress polling). */
export async function enqueueStudyModelStreams(
  study: { id: string; config: unknown },
  body: unknown,
): Promise<ModelJobsQueued> {
  const req = parseOr422(enqueueRequestSchema, body ?? {});
  const config = studyConfigSchema.parse(study.config);
  if (config.model.presets.length === 0)
    throw new HttpError(409, "This study runs no model presets (settings → model)");
  const db = getDb();
  const since = new Date();
  let runIds: string[];
  if (req.runId) {
    const run = await db.run.findFirst({
      where: { id: req.runId, studyId: study.id },
      select: { id: true, status: true },
    });
    if (!run) throw new HttpError(404, "Run not found");
    if (run.status !== "completed")
      throw new HttpError(409, "Only completed runs can be modelled on the server");
    runIds = [run.id];
  } else {
    const runs = await db.run.findMany({
      where: {
        studyId: study.id,
        status: "completed",
        isPilot: false,
        ...(req.rerun
          ? {}
          : {
              NOT: {
                modelRuns: {
                  some: { source: "server", status: "done", preset: { in: config.model.presets } },
                },
              },
            }),
      },
      select: { id: true },
      orderBy: { participantIndex: "asc" },
    });
    runIds = runs.map((r) => r.id);
  }
  // Runs whose jobs are still queued or running are not queued twice (enqueueJob's key).
  const jobIds: string[] = [];
  const busyIds = new Set<string>();
  for (const runId of runIds)
    for (const { job, created } of await enqueueModelStreams(runId, config)) {
      if (created) jobIds.push(job.id);
      else busyIds.add(runId);
    }
  return { jobIds, runs: runIds.length, alreadyQueued: busyIds.size, since: since.toISOString() };
}

/** Progress of a study's model-stream jobs (optionally one run's, optionally queued since a time). */
export async function fetchModelJobProgress(
  studyId: string,
  opts: { runId?: string; since?: Date } = {},
): Promise<ModelJobProgress> {
  const where = {
    kind: "model-stream",
    studyId,
    ...(opts.runId ? { runId: opts.runId } : {}),
    ...(opts.since ? { createdAt: { gte: opts.since } } : {}),
  };
  const db = getDb();
  const [groups, failed] = await Promise.all([
    db.job.groupBy({ by: ["status"], where, _count: { _all: true }, _sum: { progress: true } }),
    db.job.findMany({
      where: { ...where, status: "failed" },
      select: { error: true },
      take: 5,
      orderBy: { updatedAt: "desc" },
    }),
  ]);
  const counts = { queued: 0, running: 0, done: 0, failed: 0 };
  let progressSum = 0;
  for (const g of groups) {
    counts[g.status] = g._count._all;
    progressSum +=
      g.status === "done" || g.status === "failed" ? g._count._all : (g._sum.progress ?? 0);
  }
  const total = counts.queued + counts.running + counts.done + counts.failed;
  return {
    counts,
    total,
    progress: total === 0 ? 1 : progressSum / total,
    errors: failed.map((f) => f.error ?? "failed"),
  };
}
