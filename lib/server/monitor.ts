// Live monitoring of a study's runs for its owner, server-side filtered, sorted and paged: one SQL
// query picks the page's runs (status derived as the table shows it, pilot and external-id
// filters, any sort column, LIMIT/OFFSET), then only the page's runs get their trial tallies
// (GROUP BY on the Trial primary key), model-stream jobs, fits and data-quality flags (the flags
// are read only for runs whose saved trials changed since the last poll). Sorting by accuracy
// tallies every matching run, through the same primary-key index. A read only: housekeeping stores
// abandonment (lib/server/housekeeping.ts).
import "server-only";

import { timingFlagMessages } from "@/lib/core/plausibility";
import { qualityView } from "@/lib/core/quality";
import {
  type MonitorQuery,
  RUN_STATUSES,
  monitorQuerySchema,
  type RunMonitorData,
  type RunMonitorRow,
  type RunStatus,
  type RunStreamStatus,
  runStatusReason,
} from "@/lib/core/run-monitor";

import { Prisma, getDb } from "./db";
import type { Run } from "./generated/prisma/client";
import { fetchRunsQuality } from "./quality";
import { fetchOwnedStudy } from "./studies";

/** A run with no request for this long is shown as abandoned at once and stored as abandoned by the
 * next housekeeping pass (lib/server/housekeeping.ts). */
export const ABANDON_AFTER_MS = 30 * 60_000;

export type StudyMonitor = RunMonitorData & {
  study: { id: string; slug: string; title: string; status: string };
};

/** A row of the page query below: stored Run columns (the generated client's types) and the status and finish time as shown. */
type PageRow = Pick<
  Run,
  | "id"
  | "participantIndex"
  | "externalId"
  | "externalStudyId"
  | "externalSessionId"
  | "source"
  | "isPilot"
  | "condition"
  | "expectedTrials"
  | "config"
  | "userAgent"
  | "statusReason"
  | "startedAt"
  | "lastSeenAt"
  | "timingFlags"
  | "transfers"
> & { status: RunStatus; finishedAt: Date | null };

/** LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The monitor view of an owned study, or null when `userId` does not own it. */
export async function fetchStudyMonitor(
  userId: string,
  studyId: string,
  query: MonitorQuery = monitorQuerySchema.parse({}),
  now = new Date(),
): Promise<StudyMonitor | null> {
  const study = await fetchOwnedStudy(userId, studyId);
  if (!study) return null;
  const db = getDb();
  const silentBefore = new Date(now.getTime() - ABANDON_AFTER_MS);
  // The status as shown: a run silent for too long is abandoned before housekeeping stores it.
  const shownStatus = Prisma.sql`(CASE WHEN r."status" IN ('started', 'active')
    AND r."lastSeenAt" < ${silentBefore} THEN 'abandoned' ELSE r."status"::text END)`;
  const finishedAt = Prisma.sql`(CASE WHEN r."status" = 'completed' THEN r."completedAt"
    WHEN ${shownStatus} IN ('returned', 'abandoned') THEN r."lastSeenAt" END)`;
  const where = [Prisma.sql`r."studyId" = ${study.id}`];
  if (query.pilot !== "all") where.push(Prisma.sql`r."isPilot" = ${query.pilot === "only"}`);
  if (query.q) {
    const byId = Prisma.sql`r."externalId" ILIKE ${containsPattern(query.q)}`;
    where.push(
      /^\d{1,9}$/.test(query.q)
        ? Prisma.sql`(${byId} OR r."participantIndex" = ${Number(query.q)}::int)`
        : byId,
    );
  }
  if (query.status) where.push(Prisma.sql`${shownStatus} = ${query.status}`);
  const filter = Prisma.join(where, " AND ");

  const dir = Prisma.raw(query.dir === "desc" ? "DESC" : "ASC");
  const accuracy = Prisma.sql`(SELECT avg(t."correct"::int) FROM "Trial" t
    WHERE t."runId" = r."id" AND t."phase" = 'main')`;
  const sortKey = {
    index: Prisma.sql`r."participantIndex"`,
    start: Prisma.sql`r."startedAt"`,
    finish: finishedAt,
    duration: Prisma.sql`(COALESCE(r."completedAt", r."lastSeenAt") - r."startedAt")`,
    status: Prisma.sql`array_position(ARRAY[${Prisma.join([...RUN_STATUSES])}]::text[], ${shownStatus})`,
    accuracy,
  }[query.sort];
  const offset = (query.page - 1) * query.pageSize;

  const [page, [{ matching }], counts] = await Promise.all([
    db.$queryRaw<PageRow[]>`
      SELECT r."id", r."participantIndex", r."externalId", r."externalStudyId",
             r."externalSessionId", r."source", ${shownStatus} AS "status", r."isPilot",
             r."condition", r."expectedTrials", r."config", r."userAgent", r."statusReason", r."startedAt",
             r."lastSeenAt",
             ${finishedAt} AS "finishedAt", r."timingFlags", r."transfers"
      FROM "Run" r
      WHERE ${filter}
      ORDER BY ${sortKey} ${dir} NULLS LAST, r."participantIndex" ${dir}
      LIMIT ${query.pageSize}::int OFFSET ${offset}::int`,
    db.$queryRaw<{ matching: number }[]>`
      SELECT count(*)::int AS "matching" FROM "Run" r WHERE ${filter}`,
    db.$queryRaw<{ status: RunStatus; isPilot: boolean; n: number }[]>`
      SELECT ${shownStatus} AS "status", r."isPilot", count(*)::int AS "n"
      FROM "Run" r WHERE r."studyId" = ${study.id}
      GROUP BY 1, 2`,
  ]);

  const statusCounts = Object.fromEntries(
    RUN_STATUSES.map((s) => [s, 0]),
  ) as StudyMonitor["statusCounts"];
  const totals = { runs: 0, participants: 0 };
  for (const c of counts) {
    statusCounts[c.status] += c.n;
    totals.runs += c.n;
    if (!c.isPilot) totals.participants += c.n;
  }

  const details = await fetchPageDetails(page.map((r) => r.id));
  const quality = await fetchRunsQuality(
    page,
    new Map(page.map((r) => [r.id, JSON.stringify(details.tally.get(r.id)?.main ?? null)])),
  );
  const rows = page.map((r): RunMonitorRow => {
    const t = details.tally.get(r.id) ?? { main: { saved: 0, correct: 0 }, practice: 0 };
    const end = r.finishedAt ?? r.lastSeenAt;
    return {
      id: r.id,
      participantIndex: r.participantIndex,
      externalId: r.externalId,
      externalStudyId: r.externalStudyId,
      externalSessionId: r.externalSessionId,
      source: r.source,
      status: r.status,
      reason: runStatusReason({
        status: r.status,
        savedTrials: t.main.saved,
        expectedTrials: r.expectedTrials,
        practiceTrials: t.practice,
        userAgent: r.userAgent,
        statusReason: r.statusReason,
      }),
      isPilot: r.isPilot,
      condition: r.condition,
      savedTrials: t.main.saved,
      expectedTrials: r.expectedTrials,
      accuracy: t.main.saved > 0 ? t.main.correct / t.main.saved : null,
      quality: qualityView(quality.get(r.id)!),
      startedAt: r.startedAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
      durationMs: Math.max(0, end.getTime() - r.startedAt.getTime()),
      timingFlags: timingFlagMessages(r.timingFlags),
      transfers: r.transfers,
      streams: details.streams.get(r.id) ?? [],
      fitted: details.fitted.get(r.id) ?? [],
    };
  });
  return {
    study: { id: study.id, slug: study.slug, title: study.title, status: study.status },
    statusCounts,
    totals,
    matching,
    query,
    runs: rows,
    generatedAt: now.toISOString(),
  };
}

type Tally = { main: { saved: number; correct: number }; practice: number };

/** Trial tallies, model-stream jobs and fitted models of the page's runs (a few rows each). */
async function fetchPageDetails(ids: string[]) {
  const tally = new Map<string, Tally>();
  const streams = new Map<string, RunStreamStatus[]>();
  const fitted = new Map<string, string[]>();
  if (ids.length === 0) return { tally, streams, fitted };
  const db = getDb();
  const idList = Prisma.join(ids);
  const [trialGroups, modelRuns, jobs, fits] = await Promise.all([
    db.$queryRaw<{ runId: string; phase: string; n: number; correct: number }[]>`
      SELECT "runId", "phase"::text AS "phase", count(*)::int AS "n",
             count(*) FILTER (WHERE "correct")::int AS "correct"
      FROM "Trial" WHERE "runId" IN (${idList}) GROUP BY 1, 2`,
    db.modelRun.findMany({
      where: { runId: { in: ids }, source: "server" },
      select: { runId: true, preset: true, status: true },
    }),
    db.$queryRaw<{ runId: string; preset: string | null; status: RunStreamStatus["status"] }[]>`
      SELECT DISTINCT ON ("runId", "payload"->>'preset') "runId", "payload"->>'preset' AS "preset",
             "status"::text AS "status"
      FROM "Job" WHERE "runId" IN (${idList}) AND "kind" = 'model-stream'
      ORDER BY "runId", "payload"->>'preset', "createdAt" DESC`,
    db.fit.findMany({
      where: { runId: { in: ids } },
      select: { runId: true, model: true },
      distinct: ["runId", "model"],
      orderBy: [{ runId: "asc" }, { model: "asc" }],
    }),
  ]);
  for (const g of trialGroups) {
    const t = tally.get(g.runId) ?? { main: { saved: 0, correct: 0 }, practice: 0 };
    if (g.phase === "main") t.main = { saved: g.n, correct: g.correct };
    else t.practice = g.n;
    tally.set(g.runId, t);
  }
  // A stream's job (while queued, running or after it failed) says more than its stored rows.
  const byRun = new Map<string, Map<string, RunStreamStatus["status"]>>();
  const put = (runId: string, preset: string, status: RunStreamStatus["status"]) => {
    const m = byRun.get(runId) ?? new Map<string, RunStreamStatus["status"]>();
    m.set(preset, status);
    byRun.set(runId, m);
  };
  for (const m of modelRuns) if (m.runId) put(m.runId, m.preset, m.status);
  for (const j of jobs) if (j.preset && j.status !== "done") put(j.runId, j.preset, j.status);
  for (const [runId, m] of byRun)
    streams.set(
      runId,
      [...m].sort(([a], [b]) => a.localeCompare(b)).map(([preset, status]) => ({ preset, status })),
    );
  for (const f of fits) if (f.runId) fitted.set(f.runId, [...(fitted.get(f.runId) ?? []), f.model]);
  return { tally, streams, fitted };
}
