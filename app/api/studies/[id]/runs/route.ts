// GET /api/studies/<id>/runs[?status=&pilot=all|exclude|only&q=&sort=&dir=&page=&pageSize=] → one
// page of the runs table + counts by status for the live monitor (owner only); a bad parameter is
// a 400 naming it. Polled every few seconds by the overview page; a read only (housekeeping stores
// abandonment). Body: lib/core/run-monitor.ts runMonitorDataSchema (parsed by the runs table).
import { type RunMonitorData, parseMonitorQuery } from "@/lib/core/run-monitor";
import { HttpError, handle, json } from "@/lib/server/http";
import { fetchStudyMonitor } from "@/lib/server/monitor";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id); // 404 before judging the query
  const parsed = parseMonitorQuery(new URL(req.url).searchParams);
  if (!parsed.ok) throw new HttpError(400, parsed.message);
  const monitor = await fetchStudyMonitor(userId, study.id, parsed.query);
  if (!monitor) throw new HttpError(404, "Study not found");
  // the body is lib/core's runMonitorDataSchema (the monitor table parses it), plus the study
  const body: RunMonitorData & { study: unknown } = monitor;
  return json(body);
});
