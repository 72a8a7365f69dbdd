// POST /api/runs/<token>/heartbeat → 200 {status}: keeps the run's lastSeenAt and status current.
import { handle, json } from "@/lib/server/http";
import { heartbeat } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const POST = handle(async (_req: Request, { params }: Ctx) =>
  json(await heartbeat((await params).token)),
);
