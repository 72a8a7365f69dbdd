// POST /api/runs/<token>/model-stream {preset, seed, trials (≤ 100)} → 200 {saved, duplicates, stored, expected}
// Chunks of the model stream computed in the participant's own browser (study option
// model.runInParticipantBrowser), sent by the same idempotent save queue as the human trials.
// 404 unknown token · 403 option off · 409 seed differs or the run is finished (completed or
// returned: its stream is then the server's to compute) · 413 too large · 422 not matching the curriculum.
import { handle, HttpError, json, readJsonBody } from "@/lib/server/http";
import { appendParticipantModelTrials } from "@/lib/server/model-streams";
import { fetchRunByToken } from "@/lib/server/runs";
import { studyConfigSchema } from "@/lib/core/study-config";

type Ctx = { params: Promise<{ token: string }> };

const MAX_MODEL_STREAM_BYTES = 512 * 1024;

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const run = await fetchRunByToken((await params).token);
  if (!studyConfigSchema.parse(run.config).model.runInParticipantBrowser) {
    throw new HttpError(403, "This study does not run the model in the participant's browser");
  }
  if (run.status === "completed" || run.status === "returned")
    throw new HttpError(409, `This run is ${run.status}; no more model trials are accepted`);
  const body = await readJsonBody(req, MAX_MODEL_STREAM_BYTES);
  return json(await appendParticipantModelTrials(run, body));
});
