// GET /api/studies/<id>/export?format=csv|ndjson|psychds[&table=trials|runs][&stream=human|model]
// [&models=canonical|all][&audience=shareable|private] → a streamed download (owner only).
// Default: the shareable trial table (pseudonymised participant ids), both streams in one
// long-format table, with only the canonical model stream per run and preset (models=all adds
// every stored copy, each marked in the modelCanonical column). table=runs: one row per
// participant run (outcome, timestamps, code version, consent record, config snapshot).
// audience=private adds the raw recruiter ids (file named "PRIVATE-raw-ids"); psychds is always
// shareable. format=json is NDJSON (one object per line) like format=ndjson.
import { z } from "zod";

import { createStudyExport } from "@/lib/server/exports";
import { HttpError, download, handle, parseOr422 } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const querySchema = z
  .object({
    format: z
      .enum(["csv", "ndjson", "json", "psychds"])
      .default("csv")
      .transform((f) => (f === "json" ? "ndjson" : f)),
    table: z.enum(["trials", "runs"]).default("trials"),
    stream: z.enum(["human", "model", "both"]).default("both"),
    models: z.enum(["canonical", "all"]).default("canonical"),
    audience: z.enum(["shareable", "private"]).default("shareable"),
  })
  .strict()
  .refine((q) => !(q.format === "psychds" && q.audience === "private"), {
    message: "The psych-DS dataset is always shareable (pseudonymised); use CSV or NDJSON",
    path: ["audience"],
  });

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const query = parseOr422(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  const streams =
    query.stream === "both" ? (["human", "model"] as const) : ([query.stream] as const);
  const file = await createStudyExport(userId, (await params).id, query.format, {
    streams,
    models: query.models,
    table: query.table,
    audience: query.audience,
  });
  if (!file) throw new HttpError(404, "Study not found");
  return download(file);
});
