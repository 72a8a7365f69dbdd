// GET /api/runs/<token>[?include=curriculum,trials,model] → the participant's own run: status, which
// trials are stored, and on request the curriculum and the stored trials (their own data only).
// Used by the client to confirm saves and by the e2e tests; reveals nothing about other runs.
import { handle, json } from "@/lib/server/http";
import { fetchRunProgress } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const include = (new URL(req.url).searchParams.get("include") ?? "").split(",");
  return json(
    await fetchRunProgress((await params).token, {
      includeCurriculum: include.includes("curriculum"),
      includeTrials: include.includes("trials"),
      includeModel: include.includes("model"),
    }),
  );
});
