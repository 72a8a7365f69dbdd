// GET  /api/studies/<id>/jobs[?runId=…&since=ISO] → model-stream job counts and progress (owner only)
// POST /api/studies/<id>/jobs {runId?, rerun?} → queue model-stream jobs for completed runs (owner only)
import { z } from "zod";

import { enqueueStudyModelStreams, fetchModelJobProgress } from "@/lib/server/dashboard-jobs";
import { handle, json, parseOr422, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const querySchema = z.object({
  runId: z.string().min(1).max(64).optional(),
  since: z.iso.datetime().optional(),
});

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id);
  const q = parseOr422(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  return json(
    await fetchModelJobProgress(study.id, {
      runId: q.runId,
      since: q.since ? new Date(q.since) : undefined,
    }),
  );
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id);
  const body =
    req.body && req.headers.get("content-length") !== "0" ? await readJsonBody(req, 4096) : {};
  return json(await enqueueStudyModelStreams(study, body), 202);
});
