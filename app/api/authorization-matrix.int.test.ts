// The authorization matrix over every API route: anonymous callers, a participant holding another
// run's token, a researcher who does not own the study, and the owner. Only the Auth.js session
// lookup is mocked. The first test fails when a route or method is added without a row here.
import fs from "node:fs";
import path from "node:path";

import { vi } from "vitest";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { createOrResumeRun } from "@/lib/server/runs";
import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({
  auth: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
}));

type Kind = "researcher" | "participant" | "public";
type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
/** Every route file under app/ and who may call each of its methods. */
const MATRIX: Record<string, Partial<Record<Method, Kind>>> = {
  "api/auth/[...nextauth]": { GET: "public", POST: "public" },
  "api/health": { GET: "public" },
  "s/[slug]": { GET: "public" },
  "api/runs/[token]": { GET: "participant" },
  "api/runs/[token]/trials": { POST: "participant" },
  "api/runs/[token]/heartbeat": { POST: "participant" },
  "api/runs/[token]/complete": { POST: "participant" },
  "api/runs/[token]/return": { POST: "participant" },
  "api/runs/[token]/model-stream": { POST: "participant" },
  "api/runs/[token]/events": { POST: "participant" },
  "api/studies": { GET: "researcher", POST: "researcher" },
  "api/studies/[id]": { GET: "researcher", PATCH: "researcher", DELETE: "researcher" },
  "api/studies/[id]/duplicate": { POST: "researcher" },
  "api/studies/[id]/archive": { POST: "researcher" },
  "api/studies/[id]/runs": { GET: "researcher" },
  "api/studies/[id]/export": { GET: "researcher" },
  "api/studies/[id]/jobs": { GET: "researcher", POST: "researcher" },
  "api/studies/[id]/fits": { GET: "researcher", POST: "researcher" },
  "api/studies/[id]/group-stats": { GET: "researcher" },
  "api/studies/[id]/predictions": { GET: "researcher", POST: "researcher" },
  "api/studies/[id]/runs/[runId]/model-streams": { POST: "researcher" },
};
const METHODS: Method[] = ["GET", "POST", "PATCH", "PUT", "DELETE"];
const appDir = path.resolve("app");

function routeFiles(dir = appDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [path.relative(appDir, path.dirname(p))] : [];
  });
}

type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string>> },
) => Promise<Response>;
async function load(route: string): Promise<Partial<Record<Method, Handler>>> {
  return import(/* @vite-ignore */ path.join(appDir, route, "route.ts"));
}

let owner = "";
let stranger = "";
let studyId = "";
let runId = "";
let tokenA = "";
let tokenB = "";

beforeAll(async () => {
  const db = getDb();
  owner = (await db.user.create({ data: { email: "owner@matrix", passwordHash: "x" } })).id;
  stranger = (await db.user.create({ data: { email: "stranger@matrix", passwordHash: "x" } })).id;
  const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4, practice: { trials: 0 } });
  studyId = (
    await db.study.create({
      data: { slug: "matrix", title: "Matrix", ownerId: owner, config, status: "open" },
    })
  ).id;
  const a = await createOrResumeRun("matrix", { participant: "a" });
  const b = await createOrResumeRun("matrix", { participant: "b" });
  if (a.kind !== "run" || b.kind !== "run") throw new Error("no runs");
  tokenA = a.token;
  tokenB = b.token;
  runId = (await db.run.findUniqueOrThrow({ where: { token: tokenA } })).id;
});

const params = (_route: string) =>
  ({ id: studyId, runId, token: tokenA, slug: "matrix", nextauth: "session" }) as Record<
    string,
    string
  >;
const request = (method: Method, headers: Record<string, string> = {}) =>
  new Request(`http://test/x?format=csv`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "GET" ? undefined : JSON.stringify({ status: "closed", title: "Hijacked" }),
  });

describe("authorization matrix", () => {
  it("covers every route file and every exported method", async () => {
    const found: Record<string, Method[]> = {};
    for (const route of routeFiles())
      found[route] = METHODS.filter(
        (m) => m in (route === "api/auth/[...nextauth]" ? { GET: 1, POST: 1 } : {}),
      );
    for (const route of Object.keys(found)) {
      if (route === "api/auth/[...nextauth]" || route === "s/[slug]") continue; // re-exports Auth.js / needs a request scope
      const mod = await load(route);
      found[route] = METHODS.filter((m) => typeof mod[m] === "function");
    }
    found["s/[slug]"] = ["GET"];
    const table = Object.fromEntries(
      Object.entries(MATRIX).map(([r, ms]) => [r, Object.keys(ms).sort()]),
    );
    expect(Object.fromEntries(Object.entries(found).map(([r, ms]) => [r, [...ms].sort()]))).toEqual(
      table,
    );
  });

  const researcherRoutes = Object.entries(MATRIX).flatMap(([route, ms]) =>
    Object.entries(ms)
      .filter(([, kind]) => kind === "researcher")
      .map(([method]) => [route, method as Method] as const),
  );

  it.each(researcherRoutes)(
    "%s %s: anonymous → 401, even with a participant token",
    async (route, method) => {
      signInAs(null);
      const handler = (await load(route))[method]!;
      const variants: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${tokenA}` },
        { cookie: `nta_run_matrix=${tokenA}` },
      ];
      for (const headers of variants) {
        const r = await handler(request(method, headers), {
          params: Promise.resolve(params(route)),
        });
        expect(r.status).toBe(401);
      }
    },
  );

  it.each(researcherRoutes.filter(([route]) => route.includes("[id]")))(
    "%s %s: a researcher who does not own the study → 404",
    async (route, method) => {
      signInAs(stranger);
      const handler = (await load(route))[method]!;
      const r = await handler(request(method), { params: Promise.resolve(params(route)) });
      expect(r.status).toBe(404);
      const study = await getDb().study.findUniqueOrThrow({ where: { id: studyId } });
      expect([study.title, study.status, study.archivedAt]).toEqual(["Matrix", "open", null]);
      expect(await getDb().study.count()).toBe(1); // nothing duplicated
      expect(await getDb().job.count({ where: { studyId } })).toBe(0);
    },
  );

  it.each(researcherRoutes.filter(([route]) => route.includes("[id]")))(
    "%s %s: the owner gets past authorization",
    async (route, method) => {
      signInAs(owner);
      const handler = (await load(route))[method]!;
      const r = await handler(request(method), { params: Promise.resolve(params(route)) });
      expect([401, 403, 404]).not.toContain(r.status);
      expect(r.status).toBeLessThan(500);
    },
  );

  it("a stranger's study list does not show the owner's study", async () => {
    signInAs(stranger);
    const list = await (
      await load("api/studies")
    ).GET!(request("GET"), { params: Promise.resolve({}) });
    expect(JSON.stringify(await list.json())).not.toContain(studyId);
  });

  it("a participant token reaches only its own run", async () => {
    const mod = await load("api/runs/[token]");
    const own = await (
      await mod.GET!(new Request("http://test/?include=trials,curriculum"), {
        params: Promise.resolve({ token: tokenB }),
      })
    ).json();
    const runB = await getDb().run.findUniqueOrThrow({ where: { token: tokenB } });
    expect(own.curriculum).toEqual(curriculumSchema.parse(runB.curriculum));
    expect(JSON.stringify(own)).not.toContain(tokenA);
    // Run A's trial sent with run B's token is checked against B's curriculum, never stored in A.
    const a = curriculumSchema.parse(
      (await getDb().run.findUniqueOrThrow({ where: { token: tokenA } })).curriculum,
    ).trials[0];
    const trials = await load("api/runs/[token]/trials");
    await trials.POST!(
      new Request("http://test", {
        method: "POST",
        body: JSON.stringify({
          trials: [{ ...a, response: a.correctResponse, correct: true, rtMs: 400 }],
        }),
      }),
      { params: Promise.resolve({ token: tokenB }) },
    );
    expect(await getDb().trial.count({ where: { runId } })).toBe(0);
  });
});
