// POST /api/runs/<token>/complete → 200 {completionCode, redirectUrl} once every trial is saved,
// 409 {error, details:{missing}} before that.
import { handle, json } from "@/lib/server/http";
import { completeRun } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const POST = handle(async (_req: Request, { params }: Ctx) =>
  json(await completeRun((await params).token)),
);
