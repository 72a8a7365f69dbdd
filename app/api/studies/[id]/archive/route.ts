// POST /api/studies/<id>/archive {archived: true|false} → the study. Archived studies are hidden
// from the studies list by default and refuse every link (owner only; 422 for a bad body).
import { handle, json, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { requireOwnedStudy, setStudyArchived } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const MAX_BODY_BYTES = 1024;

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const { id } = await params;
  await requireOwnedStudy(userId, id);
  return json({
    study: await setStudyArchived(userId, id, await readJsonBody(req, MAX_BODY_BYTES)),
  });
});
