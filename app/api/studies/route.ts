// GET /api/studies → the signed-in researcher's studies. POST /api/studies {title, slug, config?}
// → 201 with the new draft study (422 with field issues, 409 when the slug is taken).
import { handle, json, readJsonBody } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";
import { createStudy, fetchStudiesForOwner } from "@/lib/server/studies";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 64 * 1024;

export const GET = handle(async () => {
  const userId = await requireApiUserId();
  return json({ studies: await fetchStudiesForOwner(userId) });
});

export const POST = handle(async (req: Request) => {
  const userId = await requireApiUserId();
  const body = await readJsonBody(req, MAX_BODY_BYTES);
  const study = await createStudy(userId, body);
  return json({ study }, 201);
});
