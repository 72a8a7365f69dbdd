// POST /api/runs/<token>/events {events: RunEvent[]} (≤ 50, ≤ 16 KiB) → 200 {saved, dropped}:
// full-screen exits, tab switches and resizes of the participant's page (lib/core/run-events.ts).
// 404 unknown token · 413 too large · 400 not JSON · 422 invalid · 409 run finished.
import { handle, json, readJsonBody } from "@/lib/server/http";
import { appendRunEvents, MAX_EVENT_BODY_BYTES } from "@/lib/server/run-events";

type Ctx = { params: Promise<{ token: string }> };

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { token } = await params;
  return json(await appendRunEvents(token, await readJsonBody(req, MAX_EVENT_BODY_BYTES)));
});
