// GET /api/runs/<token> → the participant's own run: status and which main trials are stored.
// Used by the client to confirm saves and by the e2e tests; reveals nothing about other runs.
import { handle, json } from "@/lib/server/http";
import { fetchRunProgress } from "@/lib/server/runs";

type Ctx = { params: Promise<{ token: string }> };

export const GET = handle(async (_req: Request, { params }: Ctx) => json(await fetchRunProgress((await params).token)));
