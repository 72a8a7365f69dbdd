// POST /api/runs/<token>/return → 200 {status:"returned"}: the participant withdrew.
import { handle, json } from "@/lib/server/http";
import { markReturned } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const POST = handle(async (_req: Request, { params }: Ctx) =>
  json(await markReturned((await params).token)),
);
