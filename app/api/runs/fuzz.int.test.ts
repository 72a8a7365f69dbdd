// Property-based bad-input tests (fast-check) for every participant endpoint: malformed,
// wrong-typed, oversized and hostile payloads get a 4xx (never a 500), store nothing, and the
// endpoint keeps serving valid requests afterwards. Bounded: a few hundred cases per property.
import fc from "fast-check";

import { POST as completePOST } from "@/app/api/runs/[token]/complete/route";
import { POST as eventsPOST } from "@/app/api/runs/[token]/events/route";
import { POST as heartbeatPOST } from "@/app/api/runs/[token]/heartbeat/route";
import { POST as modelStreamPOST } from "@/app/api/runs/[token]/model-stream/route";
import { GET as progressGET } from "@/app/api/runs/[token]/route";
import { POST as trialsPOST } from "@/app/api/runs/[token]/trials/route";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { createOrResumeRun, entryParamsSchema } from "@/lib/server/runs";

const hostile = fc.constantFrom(
  "<script>alert(1)</script>",
  '=HYPERLINK("http://x")',
  '\'; DROP TABLE "Trial"; --',
  "\u0000\u202e",
  "../../etc/passwd",
  "x".repeat(5000),
  "💥",
);
const anyValue = fc.oneof(fc.anything(), hostile, fc.double(), fc.bigInt().map(String));

let token = "";
let runId = "";
let validTrial: Record<string, unknown> = {};

beforeAll(async () => {
  const db = getDb();
  const owner = await db.user.create({ data: { email: "fuzz@t", passwordHash: "x" } });
  const config = studyConfigSchema.parse({
    blocks: 2,
    trialsPerBlock: 8,
    practice: { trials: 4 },
    model: { runInParticipantBrowser: true },
  });
  await db.study.create({
    data: { slug: "fuzz", title: "fuzz", ownerId: owner.id, config, status: "open" },
  });
  const entry = await createOrResumeRun("fuzz", {});
  if (entry.kind !== "run") throw new Error("no run");
  token = entry.token;
  const run = await db.run.findUniqueOrThrow({ where: { token } });
  runId = run.id;
  const t = curriculumSchema.parse(run.curriculum).trials[0];
  validTrial = { ...t, response: t.correctResponse, correct: true, rtMs: 420 };
});

const ctx = (tok: string) => ({ params: Promise.resolve({ token: tok }) });
const req = (body: string) =>
  new Request("http://test", {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
  });
const stored = () => getDb().trial.count({ where: { runId } });

describe("participant endpoints under hostile input", () => {
  it("POST trials: arbitrary JSON bodies are 4xx and store nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          anyValue.map((v) => JSON.stringify({ trials: v }) ?? "null"),
        ),
        async (body) => {
          const r = await trialsPOST(req(body), ctx(token));
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 1 },
    );
    expect(await stored()).toBe(0);
  });

  it("POST trials: a valid record with any one field replaced by junk is 4xx and stores nothing", async () => {
    // Fields where any other value contradicts the curriculum or the schema (rtMs, timeElapsedMs
    // and the model-only fields accept many values legitimately).
    const fields = [
      "trialIndex",
      "blockIndex",
      "trialInBlock",
      "task",
      "stimulus",
      "correctResponse",
      "congruent",
      "correct",
      "response",
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), anyValue, async (field, junk) => {
        if (JSON.stringify(junk) === JSON.stringify(validTrial[field])) return;
        const body = JSON.stringify({ trials: [{ ...validTrial, [field]: junk }] });
        if (body === undefined) return;
        const r = await trialsPOST(req(body), ctx(token));
        expect(r.status, `${field}=${String(body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 200, seed: 2 },
    );
    expect(await stored()).toBe(0);
  });

  it("every token-addressed endpoint answers 404 for random tokens", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.base64String({ minLength: 20, maxLength: 80 }), hostile),
        async (tok) => {
          if (tok === token) return;
          for (const r of [
            await trialsPOST(req(JSON.stringify({ trials: [validTrial] })), ctx(tok)),
            await heartbeatPOST(req("{}"), ctx(tok)),
            await completePOST(req("{}"), ctx(tok)),
            await progressGET(req("{}"), ctx(tok)),
            await modelStreamPOST(req("{}"), ctx(tok)),
            await eventsPOST(req("{}"), ctx(tok)),
          ]) {
            expect(r.status).toBe(404);
          }
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });

  it("POST events: arbitrary JSON bodies are 4xx and store nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          anyValue.map((v) => JSON.stringify({ events: v }) ?? "null"),
          anyValue.map(
            (v) =>
              JSON.stringify({
                events: [{ pageId: "page-0001", seq: 0, type: "blur", timeMs: v }],
              }) ?? "null",
          ),
        ),
        async (body) => {
          const r = await eventsPOST(req(body), ctx(token));
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 5 },
    );
    expect(await getDb().runEvent.count({ where: { runId } })).toBe(0);
  });

  it("POST model-stream: junk streams are 4xx and store nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          anyValue.map((v) => JSON.stringify({ preset: "flexible", seed: 1, trials: v }) ?? "{}"),
        ),
        async (body) => {
          const r = await modelStreamPOST(req(body), ctx(token));
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100, seed: 4 },
    );
    expect(await getDb().modelRun.count({ where: { runId } })).toBe(0);
  });

  it("entry parameters: hostile recruiter ids are rejected by the schema", () => {
    fc.assert(
      fc.property(
        fc.record({ PROLIFIC_PID: fc.oneof(hostile, fc.string({ minLength: 129 })) }),
        (params) => {
          expect(entryParamsSchema.safeParse(params).success).toBe(false);
        },
      ),
      { numRuns: 50, seed: 5 },
    );
  });

  it("keeps serving: a valid trial is stored after all of the above", async () => {
    const r = await trialsPOST(req(JSON.stringify({ trials: [validTrial] })), ctx(token));
    expect(r.status).toBe(200);
    expect(await stored()).toBe(1);
  });
});
