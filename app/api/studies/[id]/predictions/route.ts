// GET  /api/studies/<id>/predictions → {state: current|stale|none, job} (owner only)
// GET  /api/studies/<id>/predictions?format=json|csv → the current predictions as a download
//      (seeds, parameters, curves per condition and preset); 409 when none is current
// POST /api/studies/<id>/predictions → queue the prediction job for the current settings (202)
import { z } from "zod";

import { download, handle, json, parseOr422 } from "@/lib/server/http";
import {
  enqueuePredictions,
  fetchPredictionState,
  predictionExport,
} from "@/lib/server/predictions";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const querySchema = z.object({ format: z.enum(["json", "csv"]).optional() }).strict();

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id);
  const q = parseOr422(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  if (!q.format) return json(await fetchPredictionState(study));
  const file = await predictionExport(study, q.format);
  return download(file);
});

export const POST = handle(async (_req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id);
  const queued = await enqueuePredictions(study, { force: true });
  return json({ jobId: queued?.job.id ?? null, created: queued?.created ?? false }, 202);
});
