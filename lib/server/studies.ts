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

/** The researcher's studies, newest first, with their run counts. */
export async function fetchStudiesForOwner(userId: string) {
  const studies = await getDb().study.findMany({
    where: { ownerId: userId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { runs: true } },
    },
  });
  return studies.map(({ _count, ...s }) => ({ ...s, runCount: _count.runs }));
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
