// The Node ↔ web Request/Response bridge of the production server, over a real loopback HTTP
// server: what a route handler sees (URL, headers, body, forwarded-for) and what the client gets.
import http from "node:http";
import type { AddressInfo } from "node:net";

import { HttpError } from "@/lib/server/http";

import { requestUrl, sendWebResponse, toWebRequest } from "./node-http";

let server: http.Server;
let base = "";
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    handler(req, res).catch((err) => {
      res.writeHead(err instanceof HttpError ? err.status : 500, { "content-type": "text/plain" });
      res.end(String(err.message));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

/** Echo what the route handler would see. */
const echo = (maxBytes: number) => async (req: http.IncomingMessage, res: http.ServerResponse) => {
  const r = await toWebRequest(req, requestUrl(req), maxBytes);
  const body = await r.text();
  await sendWebResponse(
    res,
    Response.json({
      url: r.url,
      method: r.method,
      body,
      headers: Object.fromEntries(r.headers),
      cookie: r.cookies.get("c")?.value ?? null,
    }),
  );
};

describe("toWebRequest", () => {
  it("gives the handler an absolute URL, the body bytes, cookies and Next's forwarded headers", async () => {
    handler = echo(1024);
    const r = await fetch(`${base}/api/runs/abc/trials?x=1`, {
      method: "POST",
      body: "héllo",
      headers: { cookie: "c=v1; d=2" },
    });
    const seen = await r.json();
    expect(seen.url).toBe(`${base.replace("127.0.0.1", "localhost")}/api/runs/abc/trials?x=1`); // NextURL's spelling, as under Next.js
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe("héllo");
    expect(seen.cookie).toBe("v1");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers["x-forwarded-host"]).toBe(base.slice("http://".length));
  });

  it("keeps a proxy's X-Forwarded-For and scheme", async () => {
    handler = echo(1024);
    const seen = await (
      await fetch(`${base}/x`, {
        headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1", "x-forwarded-proto": "https" },
      })
    ).json();
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.9, 10.0.0.1");
    expect(seen.url.startsWith("https://")).toBe(true);
  });

  it("refuses a body over the limit: declared (before reading) and streamed without a length", async () => {
    handler = echo(100);
    const declared = await fetch(`${base}/x`, { method: "POST", body: "x".repeat(101) });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode("y".repeat(40)));
        c.close();
      },
    });
    const streamed = await fetch(`${base}/x`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const ok = await fetch(`${base}/x`, { method: "POST", body: "x".repeat(100) });
    expect(ok.status).toBe(200);
  });

  it("answers 400 for a Host header that makes no URL", async () => {
    handler = echo(100);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/x`, { headers: { host: "[not-a-host" } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});

describe("sendWebResponse", () => {
  it("writes status, every Set-Cookie, a Content-Length and the extra headers; drops x-middleware-*", async () => {
    handler = async (_req, res) => {
      const r = new Response('{"ok":true}', {
        status: 201,
        headers: { "content-type": "application/json", "x-middleware-set-cookie": "leak=1" },
      });
      r.headers.append("set-cookie", "a=1; Path=/");
      r.headers.append("set-cookie", "b=2; Path=/");
      await sendWebResponse(res, r, [{ key: "X-Frame-Options", value: "DENY" }]);
    };
    const r = await fetch(`${base}/x`);
    expect(r.status).toBe(201);
    expect(await r.text()).toBe('{"ok":true}');
    expect(r.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(r.headers.get("content-length")).toBe("11");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("x-middleware-set-cookie")).toBeNull();
  });

  it("sends no body to HEAD", async () => {
    handler = async (_req, res) => sendWebResponse(res, new Response("body"));
    const r = await fetch(`${base}/x`, { method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-length")).toBe("4");
    expect(await r.text()).toBe("");
  });
});
