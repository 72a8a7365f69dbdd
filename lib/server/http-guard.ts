// The first thing every request meets, in Node's own http server before Next.js sees it
// (installed by instrumentation.ts, so `next start` and `next dev` both have it):
// - who the client is: X-Forwarded-* headers are honoured only from the TRUST_PROXY hops the
//   operator declared; otherwise they are removed and the socket's address and TLS state are
//   written in their place. Everything downstream (rate limits, Auth.js, Secure cookies, HSTS)
//   reads these two headers and so only ever sees trusted values;
// - slow clients: headers must arrive within HEADERS_TIMEOUT_MS and the whole request (body
//   included) within REQUEST_TIMEOUT_MS, else the connection is closed;
// - requests no route can mean: an unknown method (405) or a URL with a NUL byte or bytes that are
//   not UTF-8 (400) are answered here, so no handler or database sees them.
import "server-only";

import http from "node:http";
import type { TLSSocket } from "node:tls";

export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

const FORWARDED_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-real-ip",
];

export type ResolvedClient = { ip: string; proto: "http" | "https" };

/**
 * The client's address and scheme. With `trustHops` = n the last n X-Forwarded-For entries were
 * appended by our own proxies (the socket is the nearest one), so the client is the entry just
 * before them; anything earlier is whatever the client claimed. X-Forwarded-Proto counts only
 * from a trusted proxy.
 */
export function resolveClient(
  socket: { remoteAddress?: string; encrypted?: boolean },
  headers: http.IncomingHttpHeaders,
  trustHops: number,
): ResolvedClient {
  const direct: ResolvedClient = {
    ip: normaliseIp(socket.remoteAddress ?? "unknown"),
    proto: socket.encrypted ? "https" : "http",
  };
  if (trustHops <= 0) return direct;
  const hops = headerList(headers["x-forwarded-for"]);
  const chain = [...hops, direct.ip];
  const ip = chain[Math.max(0, chain.length - 1 - trustHops)];
  const proto = headerList(headers["x-forwarded-proto"]).at(-1)?.toLowerCase();
  return {
    ip: normaliseIp(ip),
    proto: proto === "https" || proto === "http" ? proto : direct.proto,
  };
}

function headerList(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(",") : (value ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}

function normaliseIp(ip: string) {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "").slice(0, 64);
}

/** True when the request target has a NUL byte or percent-escapes that are not UTF-8. */
export function isMalformedTarget(target: string): boolean {
  if (target.includes("\0")) return true;
  try {
    const decoded = decodeURIComponent(target.replace(/\+/g, " "));
    return decoded.includes("\0");
  } catch {
    return true;
  }
}

function reject(res: http.ServerResponse, status: number, message: string, extra = {}) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    connection: "close",
    ...extra,
  });
  res.end(JSON.stringify({ error: message }));
}

let uninstall: (() => void) | null = null;

/**
 * Patch Node's http server once per process (a second call changes nothing). Returns the undo
 * (tests).
 */
export function installHttpGuard(opts: {
  trustProxy: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}): () => void {
  if (uninstall) return uninstall;
  const { headersTimeoutMs = HEADERS_TIMEOUT_MS, requestTimeoutMs = REQUEST_TIMEOUT_MS } = opts;
  const configured = new WeakSet<http.Server>();
  const emit = http.Server.prototype.emit as (this: http.Server, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function guardedEmit(
    this: http.Server,
    event: string,
    ...args: unknown[]
  ) {
    if (event !== "request") return emit.call(this, event, ...args);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (!configured.has(this)) {
      configured.add(this);
      this.headersTimeout = headersTimeoutMs;
      this.requestTimeout = requestTimeoutMs;
    }
    if (!ALLOWED_METHODS.includes(req.method ?? "")) {
      reject(res, 405, `Method ${req.method} is not allowed`, {
        allow: ALLOWED_METHODS.join(", "),
      });
      return true;
    }
    if (isMalformedTarget(req.url ?? "")) {
      reject(res, 400, "The URL holds a NUL byte or bytes that are not UTF-8");
      return true;
    }
    const client = resolveClient(req.socket as TLSSocket, req.headers, opts.trustProxy);
    for (const h of FORWARDED_HEADERS) delete req.headers[h];
    req.headers["x-forwarded-for"] = client.ip;
    req.headers["x-forwarded-proto"] = client.proto;
    // Node's requestTimeout is only checked every 30 s; a body still arriving after
    // REQUEST_TIMEOUT_MS closes the connection here instead (a request already received is left
    // alone, however long its answer takes).
    const timer = setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, requestTimeoutMs);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    res.once("close", () => clearTimeout(timer));
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  uninstall = () => {
    http.Server.prototype.emit = emit as typeof http.Server.prototype.emit;
    uninstall = null;
  };
  return uninstall;
}
