// The participant fast path of the production server over real HTTP, against a real database:
// the same answers as the app/ route handlers it serves (it IS them), the app's security headers,
// transport-level bad input (bad escapes, oversized and endless bodies, hostile paths) answered
// with a 4xx and nothing stored, and every other request left to Next.js (here a stand-in that
// answers 418, since Next itself needs a production build; e2e/ covers the two together).
import http from "node:http";
import type { AddressInfo } from "node:net";

import fc from "fast-check";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { securityHeaders } from "@/next.config.js";

import { matchParticipantRoute, serveParticipantRoute } from "./participant-routes";

let server: http.Server;
let base = "";

beforeAll(async () => {
  const db = getDb();
  const owner = await db.user.create({ data: { email: "fast@t", passwordHash: "x" } });
  const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 8, practice: { trials: 0 } });
  await db.study.create({
    data: { slug: "fast", title: "fast", ownerId: owner.id, config, status: "open" },
  });
  server = http.createServer((req, res) => {
    void serveParticipantRoute(req, res).then((served) => {
      if (!served) {
        res.writeHead(418, { "x-served-by": "next" });
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function enter(participant: string) {
  const r = await fetch(`${base}/s/fast?participant=${participant}`, { redirect: "manual" });
  const token = /\/run\/([A-Za-z0-9_-]+)$/.exec(r.headers.get("location") ?? "")?.[1];
  return { r, token: token! };
}

async function curriculumOf(token: string) {
  const body = await (await fetch(`${base}/api/runs/${token}?include=curriculum`)).json();
  return curriculumSchema.parse(body.curriculum);
}

const postTrials = (token: string, body: string) =>
  fetch(`${base}/api/runs/${token}/trials`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
const storedFor = async (token: string) => getDb().trial.count({ where: { run: { token } } });

describe("participant routes on the production server's fast path", () => {
  it("matches exactly the participant routes", () => {
    expect(matchParticipantRoute("POST", "/api/runs/abc/trials")?.value).toBe("abc");
    expect(matchParticipantRoute("GET", "/api/runs/abc")?.value).toBe("abc");
    expect(matchParticipantRoute("GET", "/s/demo")?.value).toBe("demo");
    expect(matchParticipantRoute("GET", "/api/runs/abc/trials")).toBeNull(); // wrong method: Next answers 405
    expect(matchParticipantRoute("GET", "/s/demo/closed")).toBeNull(); // a page
    expect(matchParticipantRoute("GET", "/api/studies")).toBeNull(); // researcher API
    expect(matchParticipantRoute("POST", "/api/runs/abc/trials/")).toBeNull(); // Next's trailing-slash redirect
  });

  it("enters a study: 303 to the run, the resume cookie, security headers, no Next-internal headers", async () => {
    const { r, token } = await enter("p1");
    expect(r.status).toBe(303);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.headers.getSetCookie()[0]).toMatch(new RegExp(`^nta_run_fast=${token}; .*HttpOnly`));
    for (const { key, value } of securityHeaders) expect(r.headers.get(key)).toBe(value);
    expect(r.headers.get("server-timing")).toMatch(/^app;dur=[\d.]+;desc="participant fast path"$/);
    expect([...r.headers.keys()].filter((k) => k.startsWith("x-middleware"))).toEqual([]);
    // the cookie resumes the same run for a participant without an id
    const again = await fetch(`${base}/s/fast`, {
      redirect: "manual",
      headers: { cookie: `nta_run_fast=${token}` },
    });
    expect(again.headers.get("location")).toMatch(new RegExp(`/run/${token}$`));
  });

  it("saves trials idempotently and completes the run", async () => {
    const { token } = await enter("p2");
    const trials = (await curriculumOf(token)).trials;
    expect(trials).toHaveLength(16);
    for (const t of trials) {
      const rec = {
        ...t,
        response: t.correctResponse,
        correct: true,
        rtMs: 400.5,
        timeElapsedMs: 1000,
      };
      const first = await postTrials(token, JSON.stringify({ trials: [rec] }));
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ saved: 1, duplicates: 0 });
      if (t.trialIndex === 0)
        expect(await (await postTrials(token, JSON.stringify({ trials: [rec] }))).json()).toEqual({
          saved: 0,
          duplicates: 1,
        });
    }
    expect(await storedFor(token)).toBe(16);
    const done = await fetch(`${base}/api/runs/${token}/complete`, { method: "POST" });
    expect(done.status).toBe(200);
    const late = await postTrials(
      token,
      JSON.stringify({
        trials: [
          {
            ...trials[0],
            response: "f",
            correct: trials[0].correctResponse === "f",
            rtMs: 1,
            timeElapsedMs: 1,
          },
        ],
      }),
    );
    expect(late.status).toBe(409);
    expect(await storedFor(token)).toBe(16);
  });

  it("answers transport-level bad input with a JSON 4xx, stores nothing and keeps serving", async () => {
    const { token } = await enter("p3");
    const badEscape = await fetch(`${base}/api/runs/%E0%A4%A/trials`, {
      method: "POST",
      body: "{}",
    });
    expect(badEscape.status).toBe(400);
    expect((await badEscape.json()).error).toMatch(/Malformed URL/);
    expect((await postTrials(token, "{not json")).status).toBe(400);
    expect(
      (await postTrials(token, JSON.stringify({ trials: [], pad: "x".repeat(70_000) }))).status,
    ).toBe(413); // the route's 64 KiB
    // 2 MiB streamed without a Content-Length: refused at the transport's 1 MiB, connection closed
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const endless = new ReadableStream({
      pull(c) {
        if (sent++ < 32) c.enqueue(chunk);
        else c.close();
      },
    });
    const big = await fetch(`${base}/api/runs/${token}/trials`, {
      method: "POST",
      body: endless,
      duplex: "half",
    } as RequestInit).catch(() => null);
    if (big) expect(big.status).toBe(413); // (or the connection closed before the answer was read)
    expect(await storedFor(token)).toBe(0);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it("leaves everything else to Next.js", async () => {
    for (const [method, path] of [
      ["GET", "/studies"],
      ["GET", "/s/fast/closed"],
      ["GET", "/api/runs/x/trials"],
      ["POST", "/api/studies"],
      ["GET", "/_next/static/x.js"],
    ]) {
      const r = await fetch(`${base}${path}`, { method, redirect: "manual" });
      expect(r.status, `${method} ${path}`).toBe(418);
    }
  });

  it("fuzz: arbitrary paths, methods and bodies under /api/runs and /s never get a 500 and store nothing", async () => {
    const before = await getDb().trial.count();
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom("%", "%zz", "..", "%00", "<script>", "trials", "complete"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/api/runs/", "/s/"),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("GET", "POST"),
        fc.oneof(fc.string({ maxLength: 200 }), fc.json()),
        async (prefix, segments, method, body) => {
          const r = await fetch(`${base}${prefix}${segments.join("/")}`, {
            method,
            body: method === "POST" ? body : undefined,
            redirect: "manual",
          });
          await r.arrayBuffer();
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    expect(await getDb().trial.count()).toBe(before);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
