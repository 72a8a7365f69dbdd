// A study owned by a test researcher, for database tests that need a participant link.
import { studyConfigSchema, type StudyConfigInput } from "@/lib/core/study-config";

import { getDb } from "../db";

export async function makeTestStudy(
  slug: string,
  status: "open" | "draft" | "closed" = "open",
  config: StudyConfigInput = { blocks: 2, trialsPerBlock: 4 },
) {
  const db = getDb();
  const owner = await db.user.upsert({
    where: { email: "owner@test" },
    create: { email: "owner@test", passwordHash: "x" },
    update: {},
  });
  return db.study.create({
    data: { slug, title: slug, ownerId: owner.id, config: studyConfigSchema.parse(config), status },
  });
}
