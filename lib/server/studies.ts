// Study queries and mutations.
import "server-only";

import { getDb } from "./db";

export const DEMO_STUDY_SLUG = "demo";

/** The demo study's public summary for the landing page (null before seeding). */
export async function fetchDemoStudySummary() {
  return getDb().study.findUnique({ where: { slug: DEMO_STUDY_SLUG }, select: { slug: true, title: true, status: true } });
}
