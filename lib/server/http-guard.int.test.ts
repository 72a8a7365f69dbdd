// The http guard in a real Node http server (lib/server/http-guard.ts): which client address and
// scheme the app sees with and without trusted proxies, what it answers before any route, and
// slow clients. With a real database: sign-in guesses from spoofed addresses share one limit.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

import { installHttpGuard } from "./http-guard";
import { clientIpFrom } from "./rate-limit";
import { checkResearcherCredentials, SIGN_IN_LIMIT } from "./sign-in";
import { upsertResearcher } from "./users";

type Seen = { headers: http.IncomingHttpHeaders; url: string };

async function serve(
  trustProxy: number,
  onRequest: (req: http.IncomingMessage) => Promise<unknown> = async () => null,
  timeouts: { requestTimeoutMs?: number } = {},
) {
  const undo = installHttpGuard({ trustProxy, ...timeouts });
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ headers: { ...req.headers }, url: req.url ?? "" });
    req.resume();
    req.on("end", async () => {
      const body = await onRequest(req);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      undo();
    },
  };
}

describe("http guard", () => {
  it("with no trusted proxy, ignores every forwarded header and uses the socket", async () => {
    const s = await serve(0);
    try {
      await fetch(`${s.base}/x`, {
        headers: {
          "x-forwarded-for": "203.0.113.1, 198.51.100.2",
          "x-forwarded-proto": "https",
          "x-forwarded-host": "evil.example",
          "x-real-ip": "203.0.113.5",
          forwarded: "for=203.0.113.6",
        },
      });
      const h = s.seen[0].headers;
      expect(h["x-forwarded-for"]).toBe("127.0.0.1");
      expect(h["x-forwarded-proto"]).toBe("http");
      expect(h["x-forwarded-host"]).toBeUndefined();
      expect(h["x-real-ip"]).toBeUndefined();
      expect(h.forwarded).toBeUndefined();
      expect(clientIpFrom(new Headers(h as Record<string, string>))).toBe("127.0.0.1");
    } finally {
      await s.close();
    }
  });

  it("with TRUST_PROXY hops, takes the client our proxies reported, not what the client claimed", async () => {
    const s = await serve(1);
    try {
      // the client claimed 203.0.113.1; our proxy appended the address it saw
      await fetch(`${s.base}/x`, {
        headers: { "x-forwarded-for": "203.0.113.1, 198.51.100.2", "x-forwarded-proto": "https" },
      });
      await fetch(`${s.base}/x`);
      expect(s.seen[0].headers["x-forwarded-for"]).toBe("198.51.100.2");
      expect(s.seen[0].headers["x-forwarded-proto"]).toBe("https");
      // no header at all: the socket is the client
      expect(s.seen[1].headers["x-forwarded-for"]).toBe("127.0.0.1");
    } finally {
      await s.close();
    }
  });

  it("answers unknown methods with 405 and malformed URLs with 400 before any route", async () => {
    const s = await serve(0);
    try {
      const trace = await rawRequest(s.port, "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(trace).toMatch(/^HTTP\/1\.1 405/);
      expect(trace).toMatch(/allow: GET, HEAD, POST/i);
      for (const path of ["/api/studies/a%00b", "/s/demo?participant=%C3%28", "/x%E0%A4%A"]) {
        const r = await fetch(`${s.base}${path}`);
        expect(r.status, path).toBe(400);
      }
      expect(s.seen).toHaveLength(0);
      expect((await fetch(`${s.base}/s/d%C3%A9mo?q=a%20b`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("closes the connection of a body that does not arrive in time", async () => {
    const s = await serve(0, async () => null, { requestTimeoutMs: 500 });
    try {
      const started = Date.now();
      const closed = await new Promise<number>((resolve) => {
        const socket = net.connect(s.port, "127.0.0.1", () => {
          socket.write(
            "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
          );
        });
        const trickle = setInterval(() => socket.write(" "), 100);
        socket.on("close", () => {
          clearInterval(trickle);
          resolve(Date.now() - started);
        });
        socket.on("error", () => undefined);
      });
      expect(closed).toBeGreaterThanOrEqual(450);
      expect(closed).toBeLessThan(5000);
    } finally {
      await s.close();
    }
  });

  it("sign-in guesses from spoofed addresses share one limit", async () => {
    await upsertResearcher({ email: "guard@lab.test", password: "right-password" });
    const s = await serve(0, async (req) =>
      checkResearcherCredentials(
        { email: "guard@lab.test", password: "wrong" },
        new Headers(req.headers as Record<string, string>),
      ),
    );
    try {
      const kinds: string[] = [];
      for (let i = 0; i < SIGN_IN_LIMIT.attempts + 3; i++) {
        const r = await fetch(`${s.base}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "x-forwarded-for": `203.0.113.${i + 1}` },
        });
        kinds.push(((await r.json()) as { kind: string }).kind);
      }
      expect(kinds.slice(0, SIGN_IN_LIMIT.attempts).every((k) => k === "invalid")).toBe(true);
      expect(kinds.slice(SIGN_IN_LIMIT.attempts)).toEqual([
        "rate-limited",
        "rate-limited",
        "rate-limited",
      ]);
    } finally {
      await s.close();
    }
  });
});

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (d) => (out += d.toString()));
    socket.on("end", () => resolve(out));
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}
