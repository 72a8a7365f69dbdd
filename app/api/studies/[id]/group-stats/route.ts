// GET /api/studies/<id>/group-stats[?includeFlagged=1] → study-level statistics (owner only):
// random-effects BMS over the stored fits beside the summed BIC, the group practice effect on the
// switch cost (participants and each model stream), and the participants left out for data-quality
// flags with their reasons (docs/group-stats.md, docs/quality.md).
import { fetchGroupStats } from "@/lib/server/group-stats";
import { HttpError, handle, json } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const flag = new URL(req.url).searchParams.get("includeFlagged");
  if (flag !== null && flag !== "0" && flag !== "1")
    throw new HttpError(400, "includeFlagged must be 0 or 1");
  return json(await fetchGroupStats(userId, (await params).id, { includeFlagged: flag === "1" }));
});
