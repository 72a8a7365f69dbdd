// Security properties of the served build in real Chromium: headers (a nonce Content-Security-
// Policy under which the participant flow — jsPsych and the model's WebAssembly worker — runs),
// the completion code never in a page, requests refused before any handler, cross-site writes,
// sign-out, and no server secret in anything shipped to browsers.
import fs from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { answer, enter, startScreens } from "./helpers";

test("every response carries the security headers; pages a per-request nonce and no inline-script allowance", async ({
  request,
}) => {
  const entry = await request.get(`/s/demo?participant=headers-${Date.now()}`, { maxRedirects: 0 });
  const token = entry.headers()["location"].split("/run/")[1];
  const pages = ["/", "/login", "/s/demo/closed", `/run/${token}`];
  const others = ["/api/health", `/api/runs/${token}?include=curriculum`];
  const nonces = new Set<string>();
  for (const url of [...pages, ...others]) {
    const r = await request.get(url, { maxRedirects: 0 });
    const h = r.headers();
    expect(r.status(), url).toBeLessThan(400);
    const csp = h["content-security-policy"];
    expect(csp, url).toContain("default-src 'self'");
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1];
    expect(scriptSrc, url).not.toContain("'unsafe-inline'");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-powered-by"]).toBeUndefined();
    // plain http without a trusted proxy saying otherwise: no HSTS
    expect(h["strict-transport-security"]).toBeUndefined();
    if (pages.includes(url)) {
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
      nonces.add(nonce);
      // every inline script Next.js writes carries it
      const html = await r.text();
      const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline.length, url).toBeGreaterThan(0);
      for (const attrs of inline) expect(attrs, url).toContain(`nonce="${nonce}"`);
    }
  }
  expect(nonces.size).toBe(pages.length);
  // the build's static files carry the policy (the model's Web Worker runs under it)
  const html = await (await request.get(`/run/${token}`)).text();
  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
  const file = await request.get(asset);
  expect(file.status()).toBe(200);
  expect(file.headers()["cache-control"]).toContain("immutable");
  expect(file.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(file.headers()["x-frame-options"]).toBe("DENY");
  expect(
    (await file.body()).equals(
      fs.readFileSync(path.join(".next/static", asset.slice("/_next/static/".length))),
    ),
  ).toBe(true);
});

test("the experiment runs under the nonce policy: jsPsych, the TF.js WebAssembly model worker, no violation", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const { token, curriculum } = await enter(page, "e2e-model", `csp-${Date.now()}`);
  await startScreens(page, { consent: true });
  for (const t of curriculum!.practice) await answer(page, t, t.correctResponse, undefined, 200);
  await page.getByRole("button", { name: "Continue" }).click();
  for (const t of curriculum!.trials.slice(0, 2)) await answer(page, t, t.correctResponse);
  // the in-browser model (Web Worker + TF.js WebAssembly) posts its stream under the policy
  await expect
    .poll(
      async () => {
        const r = await page.request.get(`/api/runs/${token}?include=model`);
        const { modelStreams } = (await r.json()) as { modelStreams: { trials: number }[] };
        return modelStreams.reduce((n, m) => n + m.trials, 0);
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  expect(violations).toEqual([]);
});

test("the completion code and redirect are never in the run page, before completion or after withdrawing", async ({
  page,
  request,
}) => {
  for (const slug of ["e2e-short", "e2e-redirect"]) {
    const { token } = await enter(page, slug, `leak-${slug}-${Date.now()}`);
    const secrets = slug === "e2e-short" ? ["E2E-CODE"] : ["E2E-REDIRECT", "completed=1"];
    const before = await (await request.get(`/run/${token}`)).text();
    // the page as served (HTML and the React payload in it) and the page as rendered
    for (const s of secrets) expect(before).not.toContain(s);
    for (const s of secrets) expect(await page.content()).not.toContain(s);
    const ret = await request.post(`/api/runs/${token}/return`);
    expect(ret.status()).toBe(200);
    for (const s of secrets) expect(await ret.text()).not.toContain(s);
    await page.reload();
    await expect(page.getByRole("heading", { name: "Thank you" })).toBeVisible();
    for (const s of secrets) expect(await page.content()).not.toContain(s);
    const complete = await request.post(`/api/runs/${token}/complete`);
    expect(complete.status()).toBe(409);
    for (const s of secrets) expect(await complete.text()).not.toContain(s);
  }
});

test("requests no route can mean are refused before any handler: HEAD entries, unknown methods, NUL bytes", async ({
  request,
  baseURL,
}) => {
  const participant = `head-${Date.now()}`;
  const head = await request.head(`/s/demo?participant=${participant}`, { maxRedirects: 0 });
  expect(head.status()).toBe(405);
  // the HEAD created nothing: the first GET is a new run, not a resume of one
  const get = await request.get(`/s/demo?participant=${participant}`, { maxRedirects: 0 });
  expect(get.status()).toBe(303);
  const progressOf = await request.get(`/api/runs/${get.headers()["location"].split("/run/")[1]}`);
  expect((await progressOf.json()).savedMain).toEqual([]);
  for (const method of ["TRACE", "PROPFIND", "PURGE"]) {
    const r = await request.fetch("/api/health", { method });
    expect(r.status(), method).toBe(405);
  }
  for (const url of ["/api/studies/x%00y", "/s/demo?participant=a%00b", "/run/%C3%28"]) {
    const r = await request.get(url, { maxRedirects: 0 });
    expect(r.status(), url).toBe(400);
  }
  // redirects are relative: a forged Host never receives the run token
  const forged = await request.get(`/s/demo?participant=host-${Date.now()}`, {
    headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
    maxRedirects: 0,
  });
  expect(forged.headers()["location"]).toMatch(/^\/run\/[A-Za-z0-9_-]+$/);
  expect(baseURL).toBeTruthy();
});

test("researcher APIs refuse cross-site writes; sign-out ends every copy of the session", async ({
  page,
  browser,
}) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("demo@nta.lab");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/studies$/);
  // a text/plain POST from another site riding on the session cookie
  const forged = await page.request.post("/api/studies", {
    headers: { origin: "https://evil.example", "content-type": "text/plain" },
    data: JSON.stringify({ title: "CSRF", slug: `csrf-${Date.now()}` }),
  });
  expect(forged.status()).toBe(403);
  const list = await (await page.request.get("/api/studies")).text();
  expect(list).not.toContain("CSRF");
  // the same request from our own page goes through to validation
  const own = await page.evaluate(async () => {
    const r = await fetch("/api/studies", { method: "POST", body: "{}" });
    return r.status;
  });
  expect(own).toBe(422);

  const cookies = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // someone who copied the cookie before the sign-out
  const thief = await browser.newContext();
  await thief.addCookies(cookies);
  const stolen = await thief.newPage();
  expect((await stolen.request.get("/api/studies")).status()).toBe(401);
  await stolen.goto("/studies");
  await expect(stolen).toHaveURL(/\/login\?callbackUrl=/);
  await thief.close();
});

test("no server secret or database detail is in the client bundles", async () => {
  const dir = path.resolve(".next/static");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|json|html|txt)$/.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  expect(files.length).toBeGreaterThan(10);
  const secrets = [
    process.env.AUTH_SECRET,
    "e2e-secret-not-for-production",
    "passwordHash",
    "postgresql://",
    "DATABASE_URL",
    "PGLITE_DIR",
  ];
  const localSecret = path.resolve(".data/auth-secret");
  if (fs.existsSync(localSecret)) secrets.push(fs.readFileSync(localSecret, "utf8").trim());
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const secret of secrets) {
      if (secret)
        expect(
          text.includes(secret),
          `${secret.slice(0, 12)}… in ${path.relative(dir, file)}`,
        ).toBe(false);
    }
  }
});

test("participant run tokens are long and random", async ({ request }) => {
  const tokens = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = await request.get(`/s/demo?participant=token-check-${i}-${Date.now()}`, {
      maxRedirects: 0,
    });
    tokens.add(r.headers()["location"].split("/run/")[1]);
  }
  expect(tokens.size).toBe(5);
  for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32,}$/);
});
