// POST /api/studies/<id>/runs/<runId>/model-streams {preset, seed, trials} → 200 {modelRunId, status}
// A model stream the researcher computed in their own browser on this run's curriculum. Owner only;
// validated against the curriculum and stored with source researcher_browser (replaces a previous one).
import { getDb } from "@/lib/server/db";
import { handle, HttpError, json, readJsonBody } from "@/lib/server/http";
import { storeBrowserModelStream } from "@/lib/server/model-streams";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; runId: string }> };

const MAX_MODEL_STREAM_BYTES = 1024 * 1024;

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { id, runId } = await params;
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, id);
  const run = await getDb().run.findFirst({ where: { id: runId, studyId: study.id } });
  if (!run) throw new HttpError(404, "Run not found");
  const body = await readJsonBody(req, MAX_MODEL_STREAM_BYTES);
  const stored = await storeBrowserModelStream(run, "researcher_browser", body);
  return json({ modelRunId: stored.id, status: stored.status, source: stored.source });
});
