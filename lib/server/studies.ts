// Study queries and mutations for researchers. Every function that touches a study takes the
// signed-in user's id and behaves as if a study owned by someone else did not exist (null / 404),
// so a stranger cannot even learn that an id is taken.
import "server-only";

import { isDeepStrictEqual } from "node:util";

import { z } from "zod";

import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";
import { HttpError, parseOr422 } from "./http";

export const DEMO_STUDY_SLUG = "demo";
/** The demo's simulated study (scripts/seed-demo.ts): closed, labelled as simulated everywhere. */
export const SIMULATED_STUDY_SLUG = "demo-simulated";

/** The demo study's public summary for the landing page (null before seeding). */
export async function fetchDemoStudySummary() {
  return getDb().study.findUnique({
    where: { slug: DEMO_STUDY_SLUG },
    select: { slug: true, title: true, status: true },
  });
}

// The participant link is /s/<slug>: keep slugs URL- and file-name-safe (also used in export names).
export const studySlugSchema = z
  .string({ error: "Give the study a slug" })
  .trim()
  .toLowerCase()
  .min(3, "At least 3 characters")
  .max(64, "At most 64 characters")
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "Lower-case letters, digits and single hyphens only, e.g. switch-pilot-2",
  );

export const studyTitleSchema = z
  .string({ error: "Give the study a title" })
  .trim()
  .min(1, "Give the study a title")
  .max(200, "At most 200 characters");

export const studyStatusSchema = z.enum(["draft", "open", "closed"]);

export const studyCreateSchema = z
  .object({
    title: studyTitleSchema,
    slug: studySlugSchema,
    config: studyConfigSchema.prefault({}),
  })
  .strict();

export const studyPatchSchema = z
  .object({
    title: studyTitleSchema.optional(),
    slug: studySlugSchema.optional(),
    config: studyConfigSchema.optional(),
    status: studyStatusSchema.optional(),
    /** Must be true to change the config of a study that participants have already run. */
    acknowledgeExistingRuns: z.boolean().optional(),
  })
  .strict()
  .refine(
    (p) =>
      p.title !== undefined ||
      p.slug !== undefined ||
      p.config !== undefined ||
      p.status !== undefined,
    {
      message: "Send at least one of title, slug, config, status",
    },
  );

/** The study if `userId` owns it, else null (also for ids that do not exist). */
export async function fetchOwnedStudy(userId: string, studyId: string) {
  if (!userId || !studyId) return null;
  return getDb().study.findFirst({ where: { id: studyId, ownerId: userId } });
}

/** The study if `userId` owns it, else a 404 that reads the same as an unknown id. */
export async function requireOwnedStudy(userId: string, studyId: string) {
  const study = await fetchOwnedStudy(userId, studyId);
  if (!study) throw new HttpError(404, "Study not found");
  return study;
}

/**
 * The researcher's studies, newest first, with their participant counts (pilot runs never count):
 * completed and all participant runs. Archived studies only with `includeArchived`.
 */
export async function fetchStudiesForOwner(
  userId: string,
  opts: { includeArchived?: boolean } = {},
) {
  const db = getDb();
  const studies = await db.study.findMany({
    where: { ownerId: userId, ...(opts.includeArchived ? {} : { archivedAt: null }) },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      archivedAt: true,
      createdAt: true,
      updatedAt: true,
    },
  });
  const groups =
    studies.length === 0
      ? []
      : await db.run.groupBy({
          by: ["studyId", "status"],
          where: { studyId: { in: studies.map((s) => s.id) }, isPilot: false },
          _count: { _all: true },
        });
  const counts = new Map<string, { participants: number; completed: number }>();
  for (const g of groups) {
    const c = counts.get(g.studyId) ?? { participants: 0, completed: 0 };
    c.participants += g._count._all;
    if (g.status === "completed") c.completed += g._count._all;
    counts.set(g.studyId, c);
  }
  return studies.map((s) => ({ ...s, ...(counts.get(s.id) ?? { participants: 0, completed: 0 }) }));
}

/** How many of the owner's studies are archived (the list's "show archived" link). */
export async function countArchivedStudies(userId: string) {
  return getDb().study.count({ where: { ownerId: userId, archivedAt: { not: null } } });
}

/** Runs of a study, split so that pilots (researchers testing) do not count as participants. */
export async function countStudyRuns(studyId: string) {
  const groups = await getDb().run.groupBy({
    by: ["isPilot"],
    where: { studyId },
    _count: { _all: true },
  });
  const pilot = groups.find((g) => g.isPilot)?._count._all ?? 0;
  const participants = groups.find((g) => !g.isPilot)?._count._all ?? 0;
  return { pilot, participants, total: pilot + participants };
}

function isUniqueViolation(err: unknown) {
  return (err as { code?: string }).code === "P2002";
}

const slugTaken = () =>
  new HttpError(409, "That slug is already used by another study", [
    { path: "slug", message: "Already used by another study; choose another" },
  ]);

/** Create a draft study owned by `userId` from an unparsed body (422 with field issues if invalid). */
export async function createStudy(userId: string, body: unknown) {
  const input = parseOr422(studyCreateSchema, body);
  try {
    return await getDb().study.create({ data: { ...input, ownerId: userId, status: "draft" } });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

/**
 * Change title, slug, config and/or status of an owned study. Runs keep the config snapshot they
 * started with, so editing is safe for stored data, but participants before and after the edit
 * then saw different studies: with participant runs, a config change needs
 * `acknowledgeExistingRuns`, and slug changes and going back to draft are refused (the link is out).
 */
export async function updateStudy(userId: string, studyId: string, body: unknown) {
  const study = await requireOwnedStudy(userId, studyId);
  const patch = parseOr422(studyPatchSchema, body);
  const runs = await countStudyRuns(study.id);
  // Compared as values: jsonb does not keep key order.
  const configChanged =
    patch.config !== undefined &&
    !isDeepStrictEqual(patch.config, studyConfigSchema.parse(study.config));
  if (patch.status === "open" && study.archivedAt)
    throw new HttpError(409, "This study is archived; unarchive it before opening it", [
      { path: "status", message: "Unarchive the study before opening it" },
    ]);
  if (runs.participants > 0) {
    if (configChanged && !patch.acknowledgeExistingRuns) {
      throw new HttpError(
        409,
        `This study already has ${runs.participants} participant run(s); confirm the config change`,
        [
          {
            path: "acknowledgeExistingRuns",
            message: `${runs.participants} participant(s) already ran this study. They keep the settings they started with; only new participants get the new settings. Tick to confirm.`,
          },
        ],
      );
    }
    if (patch.slug !== undefined && patch.slug !== study.slug) {
      throw new HttpError(409, "The slug cannot change after participants have used the link", [
        {
          path: "slug",
          message:
            "Participants have already used the link with this slug; it cannot change any more",
        },
      ]);
    }
    if (patch.status === "draft") {
      throw new HttpError(
        409,
        "A study with participant runs cannot go back to draft; close it instead",
        [
          {
            path: "status",
            message: "A study with participant runs cannot go back to draft; close it instead",
          },
        ],
      );
    }
  }
  try {
    return await getDb().study.update({
      where: { id: study.id },
      data: {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
        ...(patch.config !== undefined ? { config: patch.config } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

const duplicateSchema = z
  .object({ title: studyTitleSchema.optional(), slug: studySlugSchema.optional() })
  .strict();

/** `base`, else `base-2`, `base-3`, … : the first slug no study uses (within the 64-character limit). */
async function freeSlug(base: string) {
  const stem = base.slice(0, 58).replace(/-+$/, "");
  const taken = new Set(
    (
      await getDb().study.findMany({
        where: { slug: { startsWith: stem } },
        select: { slug: true },
      })
    ).map((s) => s.slug),
  );
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/**
 * A new draft study with an owned study's config (copied exactly as stored), a new slug and no runs,
 * fits or jobs. Title and slug default to "<title> (copy)" and "<slug>-copy" (numbered when taken).
 */
export async function duplicateStudy(userId: string, studyId: string, body: unknown) {
  const study = await requireOwnedStudy(userId, studyId);
  const input = parseOr422(duplicateSchema, body ?? {});
  const title = input.title ?? `${study.title} (copy)`.slice(0, 200);
  const slug = input.slug ?? (await freeSlug(`${study.slug}-copy`));
  try {
    return await getDb().study.create({
      data: {
        title,
        slug,
        ownerId: userId,
        status: "draft",
        config: study.config ?? {},
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

export const archiveSchema = z
  .object({ archived: z.boolean({ error: "archived must be true or false" }) })
  .strict();

/**
 * Archive (hide from the studies list, refuse every link, pilots included) or unarchive an owned
 * study. Archiving an open study also closes it, so unarchiving never reopens it by surprise.
 */
export async function setStudyArchived(userId: string, studyId: string, body: unknown) {
  const study = await requireOwnedStudy(userId, studyId);
  const { archived } = parseOr422(archiveSchema, body);
  return getDb().study.update({
    where: { id: study.id },
    data: archived
      ? {
          archivedAt: study.archivedAt ?? new Date(),
          ...(study.status === "open" ? { status: "closed" as const } : {}),
        }
      : { archivedAt: null },
  });
}

/** Everything deleting a study removes, row counts per kind. */
export type StudyDeletionSummary = {
  runs: number;
  pilotRuns: number;
  trials: number;
  events: number;
  modelRuns: number;
  modelTrials: number;
  fits: number;
  jobs: number;
};

type Queryable = Pick<ReturnType<typeof getDb>, "$queryRaw">;

async function deletionSummary(db: Queryable, studyId: string): Promise<StudyDeletionSummary> {
  const [row] = await db.$queryRaw<StudyDeletionSummary[]>`
    WITH runs AS (SELECT "id", "isPilot" FROM "Run" WHERE "studyId" = ${studyId}),
         models AS (SELECT "id" FROM "ModelRun"
                    WHERE "studyId" = ${studyId} OR "runId" IN (SELECT "id" FROM runs))
    SELECT (SELECT count(*)::int FROM runs) AS "runs",
           (SELECT count(*)::int FROM runs WHERE "isPilot") AS "pilotRuns",
           (SELECT count(*)::int FROM "Trial" WHERE "runId" IN (SELECT "id" FROM runs)) AS "trials",
           (SELECT count(*)::int FROM "RunEvent" WHERE "runId" IN (SELECT "id" FROM runs)) AS "events",
           (SELECT count(*)::int FROM models) AS "modelRuns",
           (SELECT count(*)::int FROM "ModelTrial"
             WHERE "modelRunId" IN (SELECT "id" FROM models)) AS "modelTrials",
           (SELECT count(*)::int FROM "Fit" WHERE "studyId" = ${studyId}) AS "fits",
           (SELECT count(*)::int FROM "Job"
             WHERE "studyId" = ${studyId} OR "runId" IN (SELECT "id" FROM runs)) AS "jobs"`;
  return row;
}

/** What deleting an owned study would remove (404 for anyone else). */
export async function fetchStudyDeletionSummary(userId: string, studyId: string) {
  const study = await requireOwnedStudy(userId, studyId);
  return { study, summary: await deletionSummary(getDb(), study.id) };
}

/** "12 runs (2 pilot), 5,760 trials, …": a deletion summary in words. */
export function describeDeletion(s: StudyDeletionSummary) {
  const n = (count: number, one: string, many = `${one}s`) =>
    `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
  return [
    `${n(s.runs, "run")}${s.pilotRuns > 0 ? ` (${s.pilotRuns} of them pilot)` : ""}`,
    n(s.trials, "trial"),
    n(s.events, "interaction event"),
    `${n(s.modelRuns, "model stream")} with ${n(s.modelTrials, "model trial")}`,
    n(s.fits, "fit"),
    n(s.jobs, "job"),
  ].join(", ");
}

export const deleteStudySchema = z.object({ confirm: z.string().max(200) }).strict();

/**
 * Delete an owned study and all its data — runs, trials, interaction events, model streams and
 * their trials, fits, jobs — in one transaction. The body must repeat the study's slug as
 * `confirm`; otherwise 422 with what would be removed. Answers what was removed.
 */
export async function deleteStudy(userId: string, studyId: string, body: unknown) {
  const study = await requireOwnedStudy(userId, studyId);
  const parsed = deleteStudySchema.safeParse(body);
  if (!parsed.success || parsed.data.confirm.trim() !== study.slug) {
    const summary = await deletionSummary(getDb(), study.id);
    throw new HttpError(
      422,
      `Deleting "${study.title}" removes ${describeDeletion(summary)}; it cannot be undone. Send {"confirm": "${study.slug}"} to confirm.`,
      [{ path: "confirm", message: `Type the study's slug (${study.slug}) to confirm` }],
    );
  }
  return getDb().$transaction(async (tx) => {
    const summary = await deletionSummary(tx, study.id);
    await tx.$executeRaw`DELETE FROM "Job" WHERE "studyId" = ${study.id}
      OR "runId" IN (SELECT "id" FROM "Run" WHERE "studyId" = ${study.id})`;
    // Runs (their trials, events, model streams and fits), model streams and fits cascade.
    await tx.study.delete({ where: { id: study.id } });
    return { study: { id: study.id, slug: study.slug, title: study.title }, removed: summary };
  });
}
