// GET /s/<study>?PROLIFIC_PID=…&STUDY_ID=…&SESSION_ID=… (or MTurk workerId/assignmentId/hitId):
// create or resume the participant's run and send them to /run/<token>. Only a GET enters: a HEAD
// (link checkers, previews) is answered 405 and a prefetch 204, without creating anything. Redirects are relative, so
// the run token never goes to whatever host the request named.
import type { NextRequest } from "next/server";

import { clientIpFrom } from "@/lib/server/rate-limit";
import { servedOverTls } from "@/lib/server/request-origin";
import { createOrResumeRun, entryParamsSchema } from "@/lib/server/runs";

type Ctx = { params: Promise<{ slug: string }> };

function seeOther(location: string, headers: Record<string, string> = {}) {
  return new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", ...headers },
  });
}

/** A browser prefetching the link (Next's <Link>, speculation rules) is not a participant arriving. */
function isPrefetch(headers: Headers) {
  return (
    headers.get("next-router-prefetch") === "1" ||
    /prefetch/i.test(headers.get("sec-purpose") ?? headers.get("purpose") ?? "")
  );
}

export async function GET(req: NextRequest, { params }: Ctx) {
  if (isPrefetch(req.headers))
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  const { slug } = await params;
  const parsed = entryParamsSchema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success || !/^[a-z0-9-]{1,64}$/.test(slug))
    return seeOther(`/s/${encodeURIComponent(slug.slice(0, 64))}/closed?reason=bad-link`);
  const cookieName = `nta_run_${slug}`;
  const result = await createOrResumeRun(slug, parsed.data, {
    resumeToken: req.cookies.get(cookieName)?.value,
    userAgent: req.headers.get("user-agent") ?? undefined,
    clientIp: clientIpFrom(req.headers),
  });
  if (result.kind === "refused") return seeOther(`/s/${slug}/closed?reason=${result.reason}`);
  const cookie = [
    `${cookieName}=${result.token}`,
    "Path=/",
    `Max-Age=${60 * 60 * 24 * 7}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(servedOverTls(req.headers) ? ["Secure"] : []),
  ].join("; ");
  return seeOther(`/run/${result.token}`, { "set-cookie": cookie });
}

export function HEAD() {
  return new Response(null, { status: 405, headers: { allow: "GET" } });
}
