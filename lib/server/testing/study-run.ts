// For database tests: a new researcher and open study, and one participant run entered through
// the recruitment link (createOrResumeRun, as the app creates runs), with its curriculum.
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import type { StudyConfig } from "@/lib/core/study-config";

import { getDb } from "../db";
import { createOrResumeRun } from "../runs";

export async function studyWithRun(slug: string, config: StudyConfig) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const study = await db.study.create({
    data: { slug, title: slug, ownerId: owner.id, config, status: "open" },
  });
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db.run.findUniqueOrThrow({ where: { token: entry.token } });
  return {
    owner,
    study,
    run,
    token: entry.token,
    curriculum: curriculumSchema.parse(run.curriculum),
  };
}
