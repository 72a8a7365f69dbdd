// The participant hot path, served by the production server (server/main.ts) straight from Node's
// http server instead of through Next.js's request pipeline: recruitment entry, the run's own
// progress and curriculum, trial saves, heartbeats, completion, return, and in-browser model
// streams — every request a running study makes at human pace, hundreds per second at a launch.
// The handlers ARE the route handlers under app/ (same validation, same answers; `next dev`
// and the API tests still call them through app/); only the transport differs: no routing table
// walk, no render pipeline, one write per response. Measured in docs/RELIABILITY.md.
import type { IncomingMessage, ServerResponse } from "node:http";

import type { NextRequest } from "next/server";

import * as entry from "../app/s/[slug]/route";
import * as health from "../app/api/health/route";
import * as run from "../app/api/runs/[token]/route";
import * as complete from "../app/api/runs/[token]/complete/route";
import * as heartbeat from "../app/api/runs/[token]/heartbeat/route";
import * as modelStream from "../app/api/runs/[token]/model-stream/route";
import * as returned from "../app/api/runs/[token]/return/route";
import * as trials from "../app/api/runs/[token]/trials/route";
import { HttpError, INTERNAL_ERROR_MESSAGE, json } from "../lib/server/http";
import { securityHeaders } from "../next.config.js";

import { requestUrl, sendWebResponse, toWebRequest } from "./node-http";

type Handler = (
  req: NextRequest,
  ctx: { params: Promise<Record<string, string>> },
) => Promise<Response>;
type Route = {
  method: "GET" | "POST";
  pattern: RegExp;
  param?: "slug" | "token";
  handler: Handler;
};

const route = (
  method: Route["method"],
  pattern: RegExp,
  param: Route["param"],
  handler: unknown,
): Route => ({ method, pattern, param, handler: handler as Handler });

/** Exactly the app/ routes a participant's browser calls; anything else goes to Next.js. */
export const PARTICIPANT_ROUTES: readonly Route[] = [
  route("POST", /^\/api\/runs\/([^/]+)\/trials$/, "token", trials.POST),
  route("POST", /^\/api\/runs\/([^/]+)\/heartbeat$/, "token", heartbeat.POST),
  route("POST", /^\/api\/runs\/([^/]+)\/complete$/, "token", complete.POST),
  route("POST", /^\/api\/runs\/([^/]+)\/return$/, "token", returned.POST),
  route("POST", /^\/api\/runs\/([^/]+)\/model-stream$/, "token", modelStream.POST),
  route("GET", /^\/api\/runs\/([^/]+)$/, "token", run.GET),
  route("GET", /^\/s\/([^/]+)$/, "slug", entry.GET),
  route("GET", /^\/api\/health$/, undefined, health.GET),
];

/** Transport bound on a body; each handler applies its own smaller limit (e.g. 64 KiB of trials). */
export const MAX_FAST_PATH_BODY_BYTES = 1024 * 1024;

/** The participant route for a method and path (query string excluded), or null. */
export function matchParticipantRoute(
  method: string | undefined,
  pathname: string,
): { route: Route; value?: string } | null {
  for (const r of PARTICIPANT_ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (m) return { route: r, value: m[1] };
  }
  return null;
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, "Malformed URL");
  }
}

/**
 * Answer `req` if it is a participant route and return true; return false (nothing read or
 * written) for anything else. Responses carry the app's security headers and a Server-Timing
 * entry for the time spent here.
 */
export async function serveParticipantRoute(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const started = performance.now();
  const path = (req.url ?? "/").split("?", 1)[0];
  const match = matchParticipantRoute(req.method, path);
  if (!match) return false;
  const timing = () => ({
    key: "Server-Timing",
    value: `app;dur=${(performance.now() - started).toFixed(1)};desc="participant fast path"`,
  });
  try {
    const url = requestUrl(req);
    const params = match.route.param ? { [match.route.param]: decodeParam(match.value!) } : {};
    const request = await toWebRequest(req, url, MAX_FAST_PATH_BODY_BYTES);
    const response = await match.route.handler(request, { params: Promise.resolve(params) });
    await sendWebResponse(res, response, [...securityHeaders, timing()]);
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return true;
    }
    const status = err instanceof HttpError ? err.status : 500;
    if (status === 500) console.error("[server] participant route failed", err);
    const message = err instanceof HttpError ? err.message : INTERNAL_ERROR_MESSAGE;
    // After a 413 the rest of the body is unread: close the connection rather than drain it.
    const close = status === 413 ? [{ key: "Connection", value: "close" }] : [];
    await sendWebResponse(res, json({ error: message }, status), [
      ...securityHeaders,
      timing(),
      ...close,
    ]);
  }
  return true;
}
