// What the researcher's participant page shows about one run besides its trial streams: recruiter
// ids, start/finish times and duration, the practice result, the browser, and the interaction
// events (full-screen exits, tab switches, resizes).
import "server-only";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { computePracticeStatus } from "@/lib/core/practice";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";
import { fetchRunEvents } from "./run-events";

type PracticeResult =
  | { kind: "none" }
  | { kind: "result"; attempts: number; accuracy: number | null; passed: boolean; done: boolean };

export async function fetchParticipantDetails(studyId: string, runId: string) {
  const db = getDb();
  const run = await db.run.findFirst({
    where: { id: runId, studyId },
    select: {
      id: true,
      source: true,
      externalId: true,
      externalStudyId: true,
      externalSessionId: true,
      startedAt: true,
      completedAt: true,
      lastSeenAt: true,
      userAgent: true,
      config: true,
      curriculum: true,
    },
  });
  if (!run) return null;
  const config = studyConfigSchema.parse(run.config);
  const practiceLength = curriculumSchema.parse(run.curriculum).practice.length;
  const practiceTrials = await db.trial.findMany({
    where: { runId, phase: "practice" },
    select: { trialIndex: true, correct: true },
    orderBy: { trialIndex: "asc" },
  });
  let practice: PracticeResult = { kind: "none" };
  if (practiceLength > 0) {
    const status = computePracticeStatus(practiceTrials, practiceLength, config.practice);
    // accuracy of the last complete attempt
    const last = status.attemptsCompleted - 1;
    const lastAttempt = practiceTrials.filter(
      (t) => Math.floor(t.trialIndex / practiceLength) === last,
    );
    const correct = lastAttempt.filter((t) => t.correct).length;
    practice = {
      kind: "result",
      attempts: status.attemptsCompleted,
      accuracy: last >= 0 ? correct / practiceLength : null,
      passed: last >= 0 && correct / practiceLength >= config.practice.minAccuracy,
      done: status.practiceDone,
    };
  }
  const end = run.completedAt ?? run.lastSeenAt;
  return {
    source: run.source,
    externalId: run.externalId,
    externalStudyId: run.externalStudyId,
    externalSessionId: run.externalSessionId,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    lastSeenAt: run.lastSeenAt,
    /** Start to finish, or to the last sign of life for an unfinished run. */
    durationMs: end.getTime() - run.startedAt.getTime(),
    browser: browserOf(run.userAgent),
    userAgent: run.userAgent,
    practice,
    events: await fetchRunEvents(run.id),
  };
}

/** "Chrome 131 on Linux" from a user-agent string (the full string stays available). */
export function browserOf(ua: string | null): string {
  if (!ua) return "unknown";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Android/.test(ua)
      ? "Android"
      : /iPhone|iPad/.test(ua)
        ? "iOS"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "unknown OS";
  const found = BROWSERS.map(([name, re]) => [name, re.exec(ua)?.[1]] as const).find(([, v]) => v);
  return found ? `${found[0]} ${found[1]} on ${os}` : `unknown browser on ${os}`;
}

/** Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS: [string, RegExp][] = [
  ["Edge", /Edg\/(\d+)/],
  ["Opera", /OPR\/(\d+)/],
  ["Firefox", /Firefox\/(\d+)/],
  ["Chrome", /(?:HeadlessChrome|Chromium|Chrome)\/(\d+)/],
  ["Safari", /Version\/(\d+).*Safari/],
];
