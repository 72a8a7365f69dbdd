// GET /api/studies/<id>/runs → runs table + counts by status for the live monitor (owner only).
// Polled every few seconds by the overview page; a read only (housekeeping stores abandonment).
import { HttpError, handle, json } from "@/lib/server/http";
import { fetchStudyMonitor } from "@/lib/server/monitor";
import { requireApiUserId } from "@/lib/server/session";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const monitor = await fetchStudyMonitor(userId, (await params).id);
  if (!monitor) throw new HttpError(404, "Study not found");
  return json(monitor);
});
