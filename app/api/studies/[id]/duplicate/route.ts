// POST /api/studies/<id>/duplicate [{title?, slug?}] → 201 with a new draft study holding the same
// config, without runs (owner only; 409 when the slug is taken, 422 for a bad body).
import { handle, json, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { duplicateStudy, requireOwnedStudy } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const MAX_BODY_BYTES = 4 * 1024;

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  await requireOwnedStudy(userId, id); // 404 before reading a stranger's body
  const body = req.body ? await readJsonBody(req, MAX_BODY_BYTES) : {};
  return json({ study: await duplicateStudy(userId, id, body) }, 201);
});
