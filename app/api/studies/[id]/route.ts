// GET /api/studies/<id> → the study (owner only; 404 for anyone else).
// PATCH /api/studies/<id> {title?, slug?, config?, status?, acknowledgeExistingRuns?} → the updated study.
// DELETE /api/studies/<id> {confirm: "<slug>"} → what was removed (runs, trials, events, model
// streams, fits, jobs, all in one transaction); without the slug, 422 stating what would be removed.
import { handle, json, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { countStudyRuns, deleteStudy, requireOwnedStudy, updateStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const MAX_BODY_BYTES = 64 * 1024;

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const study = await requireOwnedStudy(userId, (await params).id);
  return json({ study, runs: await countStudyRuns(study.id) });
});

export const PATCH = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  await requireOwnedStudy(userId, id); // 404 before reading a stranger's body
  const study = await updateStudy(userId, id, await readJsonBody(req, MAX_BODY_BYTES));
  return json({ study });
});

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  await requireOwnedStudy(userId, id);
  const body = req.body ? await readJsonBody(req, 1024) : {};
  return json(await deleteStudy(userId, id, body));
});
