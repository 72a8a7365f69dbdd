// POST /api/runs/<token>/return [{reason}] → 200 {outcome, completionCode, redirectUrl}: the run
// ends early (consent-declined, screened-out, practice-failed; no body or no reason = withdrawn)
// and the answer holds that outcome's code and redirect (lib/core/outcomes.ts). The server checks
// the reason against the run's saved trials: 409 when it does not fit or the run is completed;
// 422 unknown reason. A returned run answers with its stored reason again.
import { handle, HttpError, json, readJsonBody } from "@/lib/server/http";
import { returnRun } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

const MAX_RETURN_BODY_BYTES = 1024;

async function optionalJsonBody(req: Request): Promise<unknown> {
  try {
    return await readJsonBody(req, MAX_RETURN_BODY_BYTES);
  } catch (err) {
    if (err instanceof HttpError && err.message === "Request body is empty") return {};
    throw err;
  }
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { token } = await params;
  return json(await returnRun(token, await optionalJsonBody(req)));
});
