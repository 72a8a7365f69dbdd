// Static build files from memory: the bytes and Next.js's headers, 304 on a matching ETag, HEAD,
// and everything it must not serve (dot segments, escapes, unknown types, missing files, Range,
// other methods) left untouched for Next.js — over a real loopback HTTP server.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { createStaticFiles } from "./static-files";

let server: http.Server;
let base = "";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "static-"));
const js = "console.log('chunk');";

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
  fs.writeFileSync(path.join(dir, "static", "chunks", "a1b2.js"), js);
  fs.writeFileSync(path.join(dir, "static", "chunks", "style.css"), "body{}");
  fs.writeFileSync(path.join(dir, "static", "chunks", "notes.txt"), "not a build type");
  fs.writeFileSync(path.join(dir, "secret.js"), "outside the static folder");
  const files = createStaticFiles(path.join(dir, "static"));
  server = http.createServer((req, res) => {
    if (files.serve(req, res, [{ key: "X-Frame-Options", value: "DENY" }])) return;
    res.writeHead(418);
    res.end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe("static build files", () => {
  it("serves the bytes with Next.js's headers, the extra headers, and 304 for a matching ETag", async () => {
    const r = await fetch(`${base}/_next/static/chunks/a1b2.js?dpl=x`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(js);
    expect(r.headers.get("content-type")).toBe("application/javascript; charset=UTF-8");
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(r.headers.get("content-length")).toBe(String(js.length));
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    const etag = r.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await fetch(`${base}/_next/static/chunks/a1b2.js`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}/_next/static/chunks/style.css`)).headers.get("content-type")).toBe(
      "text/css; charset=UTF-8",
    );
    const head = await fetch(`${base}/_next/static/chunks/a1b2.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("leaves to Next.js what it must not serve", async () => {
    const cases: [string, RequestInit?][] = [
      ["/_next/static/../secret.js"], // fetch normalises this one; the raw request below does not
      ["/_next/static/chunks/%2e%2e/%2e%2e/secret.js"],
      ["/_next/static/chunks/missing.js"],
      ["/_next/static/chunks/notes.txt"],
      ["/_next/static/chunks//a1b2.js"],
      ["/_next/static/chunks/a1b2.js", { method: "POST", body: "x" }],
      ["/_next/static/chunks/a1b2.js", { headers: { range: "bytes=0-3" } }],
      ["/_next/image?url=x"],
    ];
    for (const [url, init] of cases)
      expect((await fetch(`${base}${url}`, init)).status, url).toBe(418);
    const raw = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/x`, { path: "/_next/static/../secret.js" }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.end();
    });
    expect(raw).toBe(418);
  });
});
