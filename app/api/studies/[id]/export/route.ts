// GET /api/studies/<id>/export?format=csv|json|psychds[&stream=human|model][&models=canonical|all]
// → a streamed download of the study's trials (owner only). Default: both streams in one
// long-format table, with only the canonical model stream per run and preset (models=all adds every
// stored copy, each marked in the modelCanonical column).
import { z } from "zod";

import { createStudyExport } from "@/lib/server/exports";
import { HttpError, handle, parseOr422 } from "@/lib/server/http";
import { requireApiUserId } from "@/lib/server/session";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const querySchema = z
  .object({
    format: z.enum(["csv", "json", "psychds"]).default("csv"),
    stream: z.enum(["human", "model", "both"]).default("both"),
    models: z.enum(["canonical", "all"]).default("canonical"),
  })
  .strict();

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const userId = await requireApiUserId();
  const query = parseOr422(querySchema, Object.fromEntries(new URL(req.url).searchParams));
  const streams =
    query.stream === "both" ? (["human", "model"] as const) : ([query.stream] as const);
  const file = await createStudyExport(
    userId,
    (await params).id,
    query.format,
    streams,
    query.models,
  );
  if (!file) throw new HttpError(404, "Study not found");
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
