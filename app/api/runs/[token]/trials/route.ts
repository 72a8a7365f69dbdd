// POST /api/runs/<token>/trials  {trials: TrialRecord[]} → 200 {saved, duplicates}
// 404 unknown token · 413 body too large · 400 not JSON · 422 invalid or not matching the curriculum
// · 409 run already completed. Idempotent by (run, phase, trialIndex).
import { handle, json, readJsonBody } from "@/lib/server/http";
import { appendTrials, MAX_TRIAL_BODY_BYTES } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { token } = await params;
  const body = await readJsonBody(req, MAX_TRIAL_BODY_BYTES);
  return json(await appendTrials(token, body));
});
