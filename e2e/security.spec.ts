// Security properties of the served build: headers (a Content-Security-Policy under which the
// participant flow — jsPsych and the model's WebAssembly worker — runs, see participant.spec.ts)
// and no server secret in anything shipped to browsers.
import fs from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";

test("every response carries the security headers, pages and participant APIs alike", async ({
  request,
}) => {
  const entry = await request.get(`/s/demo?participant=headers-${Date.now()}`, { maxRedirects: 0 });
  const token = entry.headers()["location"].split("/run/")[1];
  const pages = ["/", "/login", "/s/demo/closed", `/run/${token}`];
  const apis = ["/api/health", `/api/runs/${token}?include=curriculum`];
  for (const url of [...pages, ...apis]) {
    const r = await request.get(url, { maxRedirects: 0 });
    const h = r.headers();
    expect(r.status(), url).toBeLessThan(400);
    expect(h["content-security-policy"], url).toContain("default-src 'self'");
    expect(h["content-security-policy"]).toContain("'wasm-unsafe-eval'");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-powered-by"]).toBeUndefined();
  }
  // the build's static files carry them too
  const html = await (await request.get(`/run/${token}`)).text();
  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
  const file = await request.get(asset);
  expect(file.status()).toBe(200);
  expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(file.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(file.headers()["x-frame-options"]).toBe("DENY");
  expect(
    (await file.body()).equals(
      fs.readFileSync(path.join(".next/static", asset.slice("/_next/static/".length))),
    ),
  ).toBe(true);
  expect(entry.headers()["content-security-policy"]).toContain("default-src 'self'");
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
