// Researcher study API against a real, migrated database. Only the Auth.js session lookup is
// mocked (`auth()` from @/auth); ownership, validation and storage all run for real.
import { unzipSync, strFromU8 } from "fflate";
import { vi } from "vitest";

import { GET as exportGET } from "@/app/api/studies/[id]/export/route";
import { GET as runsGET } from "@/app/api/studies/[id]/runs/route";
import { GET as studyGET, PATCH as studyPATCH } from "@/app/api/studies/[id]/route";
import { GET as listGET, POST as createPOST } from "@/app/api/studies/route";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { runHousekeeping } from "@/lib/server/housekeeping";
import { EXPORT_COLUMNS, EXPORT_PAGE_SIZE } from "@/lib/server/exports";
import { parseCsv } from "@/lib/server/testing/parse-csv";

import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const db = () => getDb();
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (path: string) => `http://test${path}`;
const jsonReq = (method: string, path: string, body: unknown) =>
  new Request(url(path), {
    method,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

async function makeUser(email: string) {
  return db().user.create({ data: { email, passwordHash: "x" } });
}

async function makeStudy(
  ownerId: string,
  slug: string,
  status: "draft" | "open" | "closed" = "open",
) {
  return db().study.create({
    data: {
      slug,
      title: `Study ${slug}`,
      ownerId,
      status,
      config: studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4 }),
    },
  });
}

let runCounter = 0;
async function makeRun(
  studyId: string,
  opts: {
    participantIndex: number;
    externalId?: string;
    isPilot?: boolean;
    lastSeenAt?: Date;
    expectedTrials?: number;
  },
) {
  runCounter += 1;
  return db().run.create({
    data: {
      studyId,
      token: `tok_${runCounter}_${"x".repeat(24)}`,
      participantIndex: opts.participantIndex,
      externalId: opts.externalId,
      isPilot: opts.isPilot ?? false,
      source: opts.externalId ? "prolific" : "direct",
      seed: 1,
      curriculum: {},
      config: {},
      codeVersion: "test",
      expectedTrials: opts.expectedTrials ?? 8,
      lastSeenAt: opts.lastSeenAt ?? new Date(),
    },
  });
}

/** Human trials: `outcomes[i]` says whether main trial i was correct. */
async function addHumanTrials(
  runId: string,
  outcomes: boolean[],
  phase: "main" | "practice" = "main",
) {
  await db().trial.createMany({
    data: outcomes.map((correct, i) => ({
      runId,
      phase,
      trialIndex: i,
      blockIndex: Math.floor(i / 4),
      trialInBlock: i % 4,
      task: i < 4 ? "parity" : "magnitude",
      stimulus: String((i % 8) + 1),
      correctResponse: "f",
      congruent: i % 2 === 0,
      response: correct ? "f" : "j",
      correct,
      rtMs: 400 + i,
    })),
  });
}

async function addModelRun(studyId: string, runId: string | null, preset: string, n: number) {
  const mr = await db().modelRun.create({
    data: {
      studyId,
      runId,
      preset,
      params: {},
      seed: 3,
      codeVersion: "test",
      source: "server",
      status: "done",
      finishedAt: new Date(),
      expectedTrials: n,
    },
  });
  await db().modelTrial.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      modelRunId: mr.id,
      trialIndex: i,
      blockIndex: Math.floor(i / 4),
      trialInBlock: i % 4,
      task: "parity",
      stimulus: "3",
      correctResponse: "f",
      congruent: true,
      response: i % 3 === 0 ? "j" : "f",
      correct: i % 3 !== 0,
      output: -0.25 + i / 1000,
      loss: 0.5,
      gates: [0.75, -0.125],
    })),
  });
  return mr;
}

function csvRecords(text: string) {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

let owner: { id: string };
let stranger: { id: string };

beforeAll(async () => {
  owner = await makeUser("owner@lab.test");
  stranger = await makeUser("stranger@lab.test");
});

describe("anonymous requests", () => {
  it("get 401 from every researcher API and change nothing", async () => {
    const study = await makeStudy(owner.id, "anon-target");
    signInAs(null);
    const responses = await Promise.all([
      listGET(),
      createPOST(jsonReq("POST", "/api/studies", { title: "x", slug: "anon-new" })),
      studyGET(new Request(url(`/api/studies/${study.id}`)), ctx(study.id)),
      studyPATCH(jsonReq("PATCH", `/api/studies/${study.id}`, { status: "closed" }), ctx(study.id)),
      runsGET(new Request(url(`/api/studies/${study.id}/runs`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=csv`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=json`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=psychds`)), ctx(study.id)),
    ]);
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
    expect(await db().study.findUnique({ where: { slug: "anon-new" } })).toBeNull();
    expect((await db().study.findUniqueOrThrow({ where: { id: study.id } })).status).toBe("open");
  });
});

describe("a signed-in stranger", () => {
  it("gets 404 (not 403) for another researcher's study on every API, and changes nothing", async () => {
    const study = await makeStudy(owner.id, "stranger-target");
    await addHumanTrials((await makeRun(study.id, { participantIndex: 1 })).id, [true, false]);
    signInAs(stranger.id);
    const responses = await Promise.all([
      studyGET(new Request(url(`/api/studies/${study.id}`)), ctx(study.id)),
      studyPATCH(
        jsonReq("PATCH", `/api/studies/${study.id}`, { status: "closed", title: "mine now" }),
        ctx(study.id),
      ),
      runsGET(new Request(url(`/api/studies/${study.id}/runs`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=csv`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=json`)), ctx(study.id)),
      exportGET(new Request(url(`/api/studies/${study.id}/export?format=psychds`)), ctx(study.id)),
    ]);
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    for (const r of responses) expect(await r.text()).not.toContain("stranger-target");
    const after = await db().study.findUniqueOrThrow({ where: { id: study.id } });
    expect(after).toMatchObject({ status: "open", title: "Study stranger-target" });
  });

  it("does not see another researcher's studies in the list", async () => {
    await makeStudy(owner.id, "listed-owner-only");
    signInAs(stranger.id);
    const { studies } = await (await listGET()).json();
    expect(studies.map((s: { slug: string }) => s.slug)).not.toContain("listed-owner-only");
  });

  it("gets the same 404 for an id that does not exist", async () => {
    signInAs(stranger.id);
    expect((await studyGET(new Request(url("/api/studies/nope")), ctx("nope"))).status).toBe(404);
  });
});

describe("POST /api/studies", () => {
  it("creates a draft study with the config's defaults filled in", async () => {
    signInAs(owner.id);
    const res = await createPOST(
      jsonReq("POST", "/api/studies", {
        title: "  Pilot A ",
        slug: "Pilot-A",
        config: { blocks: 6 },
      }),
    );
    expect(res.status).toBe(201);
    const { study } = await res.json();
    expect(study).toMatchObject({
      title: "Pilot A",
      slug: "pilot-a",
      status: "draft",
      ownerId: owner.id,
    });
    const stored = await db().study.findUniqueOrThrow({ where: { id: study.id } });
    expect(studyConfigSchema.parse(stored.config)).toEqual(studyConfigSchema.parse({ blocks: 6 }));
  });

  it("answers 422 with per-field issues and stores nothing for bad input", async () => {
    signInAs(owner.id);
    const before = await db().study.count();
    const res = await createPOST(
      jsonReq("POST", "/api/studies", {
        title: "",
        slug: "no spaces!",
        config: { blocks: 1, timing: { fixationMs: 99_999 }, keys: { left: "f", right: "f" } },
      }),
    );
    expect(res.status).toBe(422);
    const { details } = await res.json();
    const paths = details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "title",
        "slug",
        "config.blocks",
        "config.timing.fixationMs",
        "config.keys.right",
      ]),
    );
    expect(
      details.find((d: { path: string }) => d.path === "config.timing.fixationMs").message,
    ).toMatch(/from 0 to 5000 ms/);
    expect(await db().study.count()).toBe(before);
  });

  it("refuses unknown fields, non-JSON bodies and a taken slug", async () => {
    signInAs(owner.id);
    await makeStudy(owner.id, "taken-slug");
    const unknown = await createPOST(
      jsonReq("POST", "/api/studies", { title: "x", slug: "fresh-one", ownerId: stranger.id }),
    );
    expect(unknown.status).toBe(422);
    expect((await createPOST(jsonReq("POST", "/api/studies", "{not json"))).status).toBe(400);
    const taken = await createPOST(
      jsonReq("POST", "/api/studies", { title: "x", slug: "taken-slug" }),
    );
    expect(taken.status).toBe(409);
    expect((await taken.json()).details[0].path).toBe("slug");
    expect(await db().study.findUnique({ where: { slug: "fresh-one" } })).toBeNull();
  });
});

describe("PATCH /api/studies/[id]", () => {
  it("opens and closes a study and edits title and config before anyone ran it", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "patch-me", "draft");
    const open = await studyPATCH(jsonReq("PATCH", "/", { status: "open" }), ctx(study.id));
    expect((await open.json()).study.status).toBe("open");
    const closed = await studyPATCH(jsonReq("PATCH", "/", { status: "closed" }), ctx(study.id));
    expect((await closed.json()).study.status).toBe("closed");
    const edited = await studyPATCH(
      jsonReq("PATCH", "/", { title: "Renamed", config: { blocks: 10 } }),
      ctx(study.id),
    );
    expect(edited.status).toBe(200);
    const stored = await db().study.findUniqueOrThrow({ where: { id: study.id } });
    expect(stored.title).toBe("Renamed");
    expect(studyConfigSchema.parse(stored.config).blocks).toBe(10);
  });

  it("refuses a config change on a study with participant runs unless acknowledged, and never renames its slug", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "has-runs");
    await makeRun(study.id, { participantIndex: 1 });
    const refused = await studyPATCH(
      jsonReq("PATCH", "/", { config: { blocks: 12 } }),
      ctx(study.id),
    );
    expect(refused.status).toBe(409);
    expect((await refused.json()).details[0]).toMatchObject({
      path: "acknowledgeExistingRuns",
      message: expect.stringMatching(/1 participant/),
    });
    expect(
      studyConfigSchema.parse(
        (await db().study.findUniqueOrThrow({ where: { id: study.id } })).config,
      ).blocks,
    ).toBe(2);

    const confirmed = await studyPATCH(
      jsonReq("PATCH", "/", { config: { blocks: 12 }, acknowledgeExistingRuns: true }),
      ctx(study.id),
    );
    expect(confirmed.status).toBe(200);
    expect(
      studyConfigSchema.parse(
        (await db().study.findUniqueOrThrow({ where: { id: study.id } })).config,
      ).blocks,
    ).toBe(12);

    const rename = await studyPATCH(jsonReq("PATCH", "/", { slug: "has-runs-2" }), ctx(study.id));
    expect(rename.status).toBe(409);
    const backToDraft = await studyPATCH(jsonReq("PATCH", "/", { status: "draft" }), ctx(study.id));
    expect(backToDraft.status).toBe(409);
    expect((await db().study.findUniqueOrThrow({ where: { id: study.id } })).slug).toBe("has-runs");
  });

  it("lets the unchanged config through without acknowledgement (saving the title only)", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "same-config");
    await makeRun(study.id, { participantIndex: 1 });
    const same = studyConfigSchema.parse(study.config);
    const res = await studyPATCH(
      jsonReq("PATCH", "/", { title: "New title", config: same }),
      ctx(study.id),
    );
    expect(res.status).toBe(200);
  });

  it("answers 422 for an empty patch and for a bad status", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "patch-bad");
    expect((await studyPATCH(jsonReq("PATCH", "/", {}), ctx(study.id))).status).toBe(422);
    expect(
      (await studyPATCH(jsonReq("PATCH", "/", { status: "running" }), ctx(study.id))).status,
    ).toBe(422);
  });
});

describe("GET /api/studies/[id]/runs", () => {
  it("reports progress and accuracy per run from the saved main trials, and counts by status", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "monitor");
    const a = await makeRun(study.id, {
      participantIndex: 1,
      externalId: "PID_A",
      expectedTrials: 8,
    });
    const b = await makeRun(study.id, { participantIndex: 2, isPilot: true, expectedTrials: 8 });
    const silent = await makeRun(study.id, {
      participantIndex: 3,
      lastSeenAt: new Date(Date.now() - 31 * 60_000),
    });
    await addHumanTrials(a.id, [true, true, false, true, true]);
    await addHumanTrials(a.id, [false, false, false], "practice"); // practice never counts
    await addHumanTrials(b.id, [false, true]);

    const res = await runsGET(new Request(url(`/api/studies/${study.id}/runs`)), ctx(study.id));
    expect(res.status).toBe(200);
    const body = await res.json();
    const byIndex = new Map(
      body.runs.map((r: { participantIndex: number }) => [r.participantIndex, r]),
    );
    expect(byIndex.get(1)).toMatchObject({
      externalId: "PID_A",
      source: "prolific",
      savedTrials: 5,
      expectedTrials: 8,
      accuracy: 4 / 5,
      isPilot: false,
    });
    expect(byIndex.get(2)).toMatchObject({ savedTrials: 2, accuracy: 1 / 2, isPilot: true });
    expect(byIndex.get(3)).toMatchObject({ savedTrials: 0, accuracy: null, status: "abandoned" });
    expect(body.statusCounts).toMatchObject({ started: 2, abandoned: 1, completed: 0 });
    // The poll is a read: the stored status changes in the periodic housekeeping pass.
    const stored = async () =>
      (await db().run.findUniqueOrThrow({ where: { id: silent.id } })).status;
    expect(await stored()).toBe("started");
    expect((await runHousekeeping()).abandoned).toBe(1);
    expect(await stored()).toBe("abandoned");
  });
});

describe("GET /api/studies/[id]/export", () => {
  async function seededStudy(slug: string) {
    const study = await makeStudy(owner.id, slug);
    const r1 = await makeRun(study.id, { participantIndex: 1, externalId: "P1" });
    const r2 = await makeRun(study.id, { participantIndex: 2 });
    await addHumanTrials(r1.id, [true, false, true, true, false, true, true, true]);
    await addHumanTrials(r1.id, [true, false], "practice");
    await addHumanTrials(r2.id, [false, true, true]);
    await addModelRun(study.id, r1.id, "flexible", 8);
    await addModelRun(study.id, r1.id, "forgetful", 5);
    // A different study's rows must not leak in.
    const other = await makeStudy(owner.id, `${slug}-other`);
    await addHumanTrials((await makeRun(other.id, { participantIndex: 1 })).id, [true]);
    return study;
  }

  async function expectedKeys(studyId: string) {
    const human = await db().trial.findMany({
      where: { run: { studyId } },
      include: { run: true },
    });
    const model = await db().modelTrial.findMany({
      where: { modelRun: { studyId } },
      include: { modelRun: { include: { run: true } } },
    });
    return [
      ...human.map(
        (t) => `human|${t.run.participantIndex}||${t.phase}|${t.trialIndex}|${t.correct}|${t.rtMs}`,
      ),
      ...model.map(
        (t) =>
          `model|${t.modelRun.run?.participantIndex}|${t.modelRun.preset}|main|${t.trialIndex}|${t.correct}|`,
      ),
    ].sort();
  }

  it("streams a CSV with exactly the study's saved trials of both streams", async () => {
    signInAs(owner.id);
    const study = await seededStudy("export-csv");
    const res = await exportGET(
      new Request(url(`/api/studies/${study.id}/export?format=csv`)),
      ctx(study.id),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(
      /attachment; filename="nta-export-csv-trials-.*\.csv"/,
    );
    const text = await res.text();
    expect(parseCsv(text)[0]).toEqual(EXPORT_COLUMNS.map(([c]) => c));
    const rows = csvRecords(text);
    const got = rows
      .map(
        (r) =>
          `${r.stream}|${r.participantIndex}|${r.modelPreset}|${r.phase}|${r.trialIndex}|${r.correct}|${r.rtMs}`,
      )
      .sort();
    expect(got).toEqual(await expectedKeys(study.id));
    expect(new Set(rows.map((r) => r.study))).toEqual(new Set(["export-csv"]));
    const modelRow = rows.find((r) => r.stream === "model" && r.trialIndex === "0")!;
    expect(modelRow).toMatchObject({
      output: "-0.25",
      gates: "0.75;-0.125",
      loss: "0.5",
      rtMs: "",
      modelSource: "server",
    });
  });

  it("neutralises spreadsheet formulas in text cells but leaves negative numbers numeric", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "export-injection");
    const run = await makeRun(study.id, {
      participantIndex: 1,
      externalId: '=HYPERLINK("http://evil","x"),1',
    });
    await addHumanTrials(run.id, [true]);
    await db().trial.updateMany({
      where: { runId: run.id },
      data: { stimulus: "@SUM(A1)", task: "-2+3", response: "+f" },
    });
    const mr = await addModelRun(study.id, run.id, "\tcmd", 1);
    expect(mr.preset).toBe("\tcmd");
    const text = await (
      await exportGET(
        new Request(url(`/api/studies/${study.id}/export?format=csv&audience=private`)),
        ctx(study.id),
      )
    ).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x""),1"`);
    const rows = csvRecords(text);
    const human = rows.find((r) => r.stream === "human")!;
    expect(human).toMatchObject({
      externalId: `'=HYPERLINK("http://evil","x"),1`,
      stimulus: "'@SUM(A1)",
      task: "'-2+3",
      response: "'+f",
    });
    const model = rows.find((r) => r.stream === "model")!;
    expect(model.modelPreset).toBe("'\tcmd");
    expect(model.output).toBe("-0.25");
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+@\t\r]/);
  });

  it("streams the same rows as NDJSON, one object per line", async () => {
    signInAs(owner.id);
    const study = await seededStudy("export-json");
    const res = await exportGET(
      new Request(url(`/api/studies/${study.id}/export?format=json`)),
      ctx(study.id),
    );
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(/\.ndjson"$/);
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const rows = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const got = rows
      .map(
        (r) =>
          `${r.stream}|${r.participantIndex}|${r.modelPreset ?? ""}|${r.phase}|${r.trialIndex}|${r.correct}|${r.rtMs ?? ""}`,
      )
      .sort();
    expect(got).toEqual(await expectedKeys(study.id));
    expect(rows.find((r) => r.stream === "model")!.gates).toEqual([0.75, -0.125]);
  });

  it("exports only one stream when asked and rejects unknown formats", async () => {
    signInAs(owner.id);
    const study = await seededStudy("export-one");
    const rows = csvRecords(
      await (
        await exportGET(
          new Request(url(`/api/studies/${study.id}/export?format=csv&stream=model`)),
          ctx(study.id),
        )
      ).text(),
    );
    expect(rows.length).toBe(13);
    expect(new Set(rows.map((r) => r.stream))).toEqual(new Set(["model"]));
    expect(
      (
        await exportGET(
          new Request(url(`/api/studies/${study.id}/export?format=xlsx`)),
          ctx(study.id),
        )
      ).status,
    ).toBe(422);
  });

  it("builds a psych-DS zip: description listing every column, one data file per stream", async () => {
    signInAs(owner.id);
    const study = await seededStudy("export-psych-ds");
    const res = await exportGET(
      new Request(url(`/api/studies/${study.id}/export?format=psychds`)),
      ctx(study.id),
    );
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      "README.md",
      "data/study-exportpsychds_description-human_data.csv",
      "data/study-exportpsychds_description-model_data.csv",
      "data/study-exportpsychds_description-runs_data.csv",
      "dataset_description.json",
    ]);
    const description = JSON.parse(strFromU8(files["dataset_description.json"]));
    expect(description).toMatchObject({
      "@context": "https://schema.org/",
      "@type": "Dataset",
      name: "Study export-psych-ds",
    });
    expect(description.variableMeasured.map((v: { name: string }) => v.name)).toEqual(
      expect.arrayContaining(EXPORT_COLUMNS.map(([c]) => c)),
    );
    for (const name of Object.keys(files))
      expect(name).toMatch(
        /^(README\.md|dataset_description\.json|data\/([a-z]+-[A-Za-z0-9]+_)+data\.csv)$/,
      );
    const human = csvRecords(
      strFromU8(files["data/study-exportpsychds_description-human_data.csv"]),
    );
    const model = csvRecords(
      strFromU8(files["data/study-exportpsychds_description-model_data.csv"]),
    );
    expect(human.length).toBe(await db().trial.count({ where: { run: { studyId: study.id } } }));
    expect(model.length).toBe(13);
    expect(new Set(human.map((r) => r.stream))).toEqual(new Set(["human"]));
  });

  it("pages through more rows than one page holds without losing or repeating any", async () => {
    signInAs(owner.id);
    const study = await makeStudy(owner.id, "export-big");
    const run = await makeRun(study.id, { participantIndex: 1 });
    const n = EXPORT_PAGE_SIZE * 2 + 7;
    await addModelRun(study.id, run.id, "flexible", n);
    const res = await exportGET(
      new Request(url(`/api/studies/${study.id}/export?format=csv&stream=model`)),
      ctx(study.id),
    );
    const rows = csvRecords(await res.text());
    expect(rows.length).toBe(n);
    expect(rows.map((r) => Number(r.trialIndex))).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
