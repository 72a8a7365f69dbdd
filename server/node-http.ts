// Node's http (IncomingMessage / ServerResponse) ↔ the web Request / Response that our route
// handlers take and return, for the participant fast path (server/participant-routes.ts). Kept
// to what those handlers need, with the same request facts Next.js gives them: an absolute URL
// built from the Host header, X-Forwarded-* filled in when no proxy set them, and the body
// bounded while it is read.
import type { IncomingMessage, ServerResponse } from "node:http";

import { NextRequest } from "next/server";

import { bodyTooLarge, HttpError } from "../lib/server/http";

/** The absolute URL a handler sees, as Next.js builds it (scheme from X-Forwarded-Proto, host from Host). */
export function requestUrl(req: IncomingMessage): URL {
  const proto = req.headers["x-forwarded-proto"] === "https" ? "https" : "http";
  try {
    return new URL(req.url ?? "/", `${proto}://${req.headers.host ?? "localhost"}`);
  } catch {
    throw new HttpError(400, "Malformed request URL or Host header");
  }
}

/**
 * Read the whole body (at most `maxBytes`; 413 beyond, before reading the rest) and build the web
 * Request. Route handlers still apply their own, smaller limits (readJsonBody).
 */
export async function toWebRequest(
  req: IncomingMessage,
  url: URL,
  maxBytes: number,
): Promise<NextRequest> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) throw bodyTooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  // Next.js fills these when no proxy did (rate-limit keys read the last X-Forwarded-For hop).
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress)
    headers.set("x-forwarded-for", req.socket.remoteAddress);
  if (!headers.has("x-forwarded-host") && req.headers.host)
    headers.set("x-forwarded-host", req.headers.host);
  if (!headers.has("x-forwarded-proto"))
    headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && size > 0;
  return new NextRequest(url, {
    method,
    headers,
    body: hasBody ? Buffer.concat(chunks, size) : undefined,
  });
}

/**
 * Write a web Response to Node in one piece (status, headers, body with Content-Length): the
 * responses here are small JSON documents or redirects, so one write serves them best.
 */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  extraHeaders: readonly { key: string; value: string }[] = [],
) {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const { key, value } of extraHeaders) headers[key.toLowerCase()] = value;
  response.headers.forEach((value, key) => {
    // x-middleware-*: NextResponse's instructions to Next's own pipeline, never sent to a browser
    if (key !== "set-cookie" && !key.startsWith("x-middleware-")) headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(res.req?.method === "HEAD" ? undefined : body);
}
