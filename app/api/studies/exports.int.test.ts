// Exports a data editor accepts, against a real, migrated database (PGlite per file, or
// PostgreSQL when DATABASE_URL is set): no raw recruiter id anywhere in a shareable export
// (pseudonyms instead, stable per study), raw ids only in the private export named so, the
// psych-DS dataset valid under the psych-DS rules (our own check), run metadata (outcome,
// timestamps, code version, consent record, config snapshot) and rounded response times.
import { strFromU8, unzipSync } from "fflate";
import { vi } from "vitest";

import { GET as exportGET } from "@/app/api/studies/[id]/export/route";
import { auth } from "@/auth";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { consentTextFor } from "@/lib/core/duration";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "@/lib/server/db";
import { createStudyExport, type ExportOptions, type ExportFormat } from "@/lib/server/exports";
import { createOrResumeRun, returnRun } from "@/lib/server/runs";
import { parseCsv } from "@/lib/server/testing/parse-csv";
import { validatePsychDs } from "@/lib/server/testing/psych-ds-validator";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const RAW = ["RAWPID0001", "RAWSTUDY77", "RAWSESSION5", "RAWPID0002", "RAWPID0003"];

let ownerId = "";
async function seed(slug: string) {
  const db = getDb();
  const owner = await db.user.upsert({
    where: { email: "export-owner@test" },
    create: { email: "export-owner@test", passwordHash: "x", name: "Ada Researcher" },
    update: {},
  });
  ownerId = owner.id;
  const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4, practice: { trials: 0 } });
  const study = await db.study.create({
    data: { slug, title: `Export ${slug}`, ownerId, config, status: "open" },
  });
  const enter = async (params: Record<string, string>) => {
    const r = await createOrResumeRun(slug, params);
    if (r.kind !== "run") throw new Error(r.reason);
    return db.run.findUniqueOrThrow({ where: { token: r.token } });
  };
  const a = await enter({ PROLIFIC_PID: RAW[0], STUDY_ID: RAW[1], SESSION_ID: RAW[2] });
  const b = await enter({ PROLIFIC_PID: RAW[3] });
  const declined = await enter({ workerId: RAW[4] });
  await returnRun(declined.token, { reason: "consent-declined" });
  for (const [run, rts] of [
    [a, [433.2666, 512.25, 400.04, 999.95]],
    [b, [300.01, 301.99, 302.5, 303.333]],
  ] as const) {
    const trials = curriculumSchema.parse(run.curriculum).trials.slice(0, 4);
    await db.trial.createMany({
      data: trials.map((t, i) => ({
        runId: run.id,
        phase: "main" as const,
        trialIndex: t.trialIndex,
        blockIndex: t.blockIndex,
        trialInBlock: t.trialInBlock,
        task: t.task,
        stimulus: t.stimulus,
        correctResponse: t.correctResponse,
        congruent: t.congruent,
        response: t.correctResponse,
        correct: true,
        rtMs: rts[i],
      })),
    });
  }
  const mr = await db.modelRun.create({
    data: {
      studyId: study.id,
      runId: a.id,
      preset: "flexible",
      params: {},
      seed: 3,
      codeVersion: "test",
      source: "server",
      status: "done",
      finishedAt: new Date(),
      expectedTrials: 2,
    },
  });
  await db.modelTrial.createMany({
    data: [0, 1].map((i) => ({
      modelRunId: mr.id,
      trialIndex: i,
      blockIndex: 0,
      trialInBlock: i,
      task: "parity",
      stimulus: "3",
      correctResponse: "f",
      congruent: true,
      response: "f",
      correct: true,
      output: 0.1234567891,
      loss: 1e-9 / 3,
      gates: [0.333333333, 0.5],
    })),
  });
  return { study, a, b, declined };
}

async function exportText(studyId: string, format: ExportFormat, opts: ExportOptions = {}) {
  const file = await createStudyExport(ownerId, studyId, format, opts);
  return { file: file!, text: await new Response(file!.body).text() };
}

async function psychDsFiles(studyId: string) {
  const file = await createStudyExport(ownerId, studyId, "psychds");
  const zip = unzipSync(new Uint8Array(await new Response(file!.body).arrayBuffer()));
  return Object.fromEntries(Object.entries(zip).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

const records = (text: string) => {
  const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describe("shareable exports", () => {
  it("hold no raw recruiter id anywhere, only a stable pseudonym per participant", async () => {
    const { study, a, b } = await seed("exp-pseudo");
    const shareable = [
      (await exportText(study.id, "csv")).text,
      (await exportText(study.id, "ndjson")).text,
      (await exportText(study.id, "csv", { table: "runs" })).text,
      (await exportText(study.id, "ndjson", { table: "runs" })).text,
      ...Object.values(await psychDsFiles(study.id)),
    ];
    for (const text of shareable) for (const raw of RAW) expect(text).not.toContain(raw);
    for (const text of shareable) expect(text).not.toMatch(/externalId/);

    const trials = records((await exportText(study.id, "csv")).text);
    const byIndex = (i: number) =>
      new Set(trials.filter((r) => r.participantIndex === String(i)).map((r) => r.participantId));
    const idA = [...byIndex(a.participantIndex)];
    const idB = [...byIndex(b.participantIndex)];
    // one id per participant (human and model rows alike), different participants differ
    expect(idA).toHaveLength(1);
    expect(idA[0]).toMatch(/^P[0-9a-f]{16}$/);
    expect(idB).toHaveLength(1);
    expect(idA[0]).not.toBe(idB[0]);
    expect(
      trials.filter((r) => r.stream === "model").every((r) => r.participantId === idA[0]),
    ).toBe(true);
    // stable across exports of the study, and its own per study (a per-study key)
    const again = records((await exportText(study.id, "csv")).text);
    expect(
      again.find((r) => r.participantIndex === String(a.participantIndex))!.participantId,
    ).toBe(idA[0]);
    const other = await seed("exp-pseudo-other");
    const otherRows = records((await exportText(other.study.id, "csv")).text);
    expect(otherRows.map((r) => r.participantId)).not.toContain(idA[0]);
    // the key itself is never exported
    const { pseudonymSecret } = await getDb().study.findUniqueOrThrow({ where: { id: study.id } });
    for (const text of shareable) expect(text).not.toContain(pseudonymSecret!);
  });

  it("raw ids only in the private export, whose file name says so; psych-DS is never private", async () => {
    const { study } = await seed("exp-private");
    const priv = await exportText(study.id, "csv", { audience: "private" });
    expect(priv.file.fileName).toMatch(/^nta-exp-private-PRIVATE-raw-ids-trials-.*\.csv$/);
    for (const raw of RAW.slice(0, 4)) expect(priv.text).toContain(raw);
    const runs = records(
      (await exportText(study.id, "csv", { table: "runs", audience: "private" })).text,
    );
    expect(runs.find((r) => r.externalId === RAW[0])).toMatchObject({
      externalStudyId: RAW[1],
      externalSessionId: RAW[2],
      source: "prolific",
    });
    (vi.mocked(auth) as unknown as { mockResolvedValue(v: unknown): void }).mockResolvedValue({
      user: { id: ownerId },
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const res = await exportGET(
      new Request(`http://test/api/studies/${study.id}/export?format=psychds&audience=private`),
      { params: Promise.resolve({ id: study.id }) },
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/always shareable/);
  });
});

describe("psych-DS dataset", () => {
  it("passes the psych-DS rules: required files, official keywords, CSV shape, complete description", async () => {
    const { study } = await seed("exp-psychds");
    const files = await psychDsFiles(study.id);
    expect(validatePsychDs(files)).toEqual([]);
    const description = JSON.parse(files["dataset_description.json"]);
    expect(description).toMatchObject({
      "@type": "Dataset",
      author: ["Ada Researcher"],
      license: expect.stringMatching(/^https:\/\/creativecommons\.org\//),
      citation: expect.stringContaining("Ada Researcher"),
    });
    const rt = description.variableMeasured.find((v: { name: string }) => v.name === "rtMs");
    expect(rt).toMatchObject({ "@type": "PropertyValue", unitText: "ms" });
    for (const v of description.variableMeasured) expect(v.description.length).toBeGreaterThan(5);
    expect(files["README.md"]).toContain("participantId");
  });

  it("the check fails on the dataset when a rule is broken (it is not vacuous)", async () => {
    const { study } = await seed("exp-psychds-bad");
    const files = await psychDsFiles(study.id);
    const [human] = Object.keys(files).filter((f) => f.includes("description-human"));
    const renamed = { ...files, [human.replace("description-", "stream-")]: files[human] };
    delete renamed[human];
    expect(validatePsychDs(renamed).map((p) => p.code)).toContain(
      "FILENAME_UNOFFICIAL_KEYWORD_ERROR",
    );
    const description = JSON.parse(files["dataset_description.json"]);
    description.variableMeasured = description.variableMeasured.filter(
      (v: { name: string }) => v.name !== "rtMs",
    );
    expect(
      validatePsychDs({ ...files, "dataset_description.json": JSON.stringify(description) }).map(
        (p) => p.code,
      ),
    ).toContain("CSV_COLUMN_MISSING_FROM_METADATA");
  });
});

describe("metadata and rounding", () => {
  it("carry each run's outcome, timestamps, code version, consent record and config snapshot", async () => {
    const { study, a, declined } = await seed("exp-meta");
    const runs = (await exportText(study.id, "ndjson", { table: "runs" })).text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(runs).toHaveLength(3);
    const rowA = runs.find((r) => r.participantIndex === a.participantIndex);
    const config = studyConfigSchema.parse(a.config);
    expect(rowA).toMatchObject({
      runStatus: "started",
      runOutcome: null,
      runStartedAt: a.startedAt.toISOString(),
      codeVersion: a.codeVersion,
      consentGiven: true,
      seed: a.seed,
      savedMainTrials: 4,
      config: JSON.parse(JSON.stringify(a.config)),
    });
    expect(rowA.consentVersion).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(consentTextFor(config)).toContain("minutes");
    expect(runs.find((r) => r.participantIndex === declined.participantIndex)).toMatchObject({
      runStatus: "returned",
      runOutcome: "consent-declined",
      consentGiven: false,
      savedMainTrials: 0,
    });
    // the trial rows carry the run's metadata too
    const trials = records((await exportText(study.id, "csv")).text);
    const t = trials.find((r) => r.participantIndex === String(a.participantIndex))!;
    expect(t).toMatchObject({
      runStatus: "started",
      runStartedAt: a.startedAt.toISOString(),
      codeVersion: a.codeVersion,
      consentVersion: rowA.consentVersion,
    });
  });

  it("rounds response times to 0.1 ms and model numbers to 6 significant digits", async () => {
    const { study, a } = await seed("exp-round");
    const trials = records((await exportText(study.id, "csv")).text);
    const human = trials
      .filter((r) => r.stream === "human" && r.participantIndex === String(a.participantIndex))
      .map((r) => r.rtMs);
    expect(human).toEqual(["433.3", "512.3", "400", "1000"]);
    const model = trials.find((r) => r.stream === "model")!;
    expect(model).toMatchObject({ output: "0.123457", gates: "0.333333;0.5" });
    expect(Number(model.loss)).toBeCloseTo(3.33333e-10, 15);
  });
});
