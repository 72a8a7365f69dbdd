// POST /api/studies/<id>/fits {runId?, link?: "ddm" (keys + response times, default) | "choice"} → 202 {job}:
//   queue a "fit" job for every completed run of the
//   study (and the study's BIC sums), or for one completed run (owner only; 404 for anyone else).
// GET /api/studies/<id>/fits → {fits (one row per model and run), jobs (progress), comparisons (per
//   run: every model's BIC, verdict, misfit and chance flags, practice effect), comparison (study sums)}.
// Response shapes: lib/core/api-responses.ts (FitQueued, fitsResponseSchema, parsed by the fit panel).
// GET /api/studies/<id>/fits?runId=<run> → also {ppc}: that run's posterior predictive summary.
import type { FitQueued, FitsResponse } from "@/lib/core/api-responses";
import { enqueueFit, fetchFitPpc, fetchFits } from "@/lib/server/fits";
import { handle, json, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const MAX_BODY_BYTES = 4 * 1024;

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  await requireOwnedStudy(userId, id); // 404 before reading a stranger's body
  const body =
    req.headers.get("content-length") === "0" || !req.body
      ? {}
      : await readJsonBody(req, MAX_BODY_BYTES);
  const job = await enqueueFit(userId, id, body);
  return json(
    { job: { id: job.id, status: job.status, runId: job.runId } } satisfies FitQueued,
    202,
  );
});

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  const data = await fetchFits(userId, id);
  const runId = new URL(req.url).searchParams.get("runId");
  const body: FitsResponse = runId ? { ...data, ppc: await fetchFitPpc(userId, id, runId) } : data;
  return json(body);
});
