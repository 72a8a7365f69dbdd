// GET /s/<study>?PROLIFIC_PID=…&STUDY_ID=…&SESSION_ID=… (or MTurk workerId/assignmentId/hitId):
// create or resume the participant's run and send them to /run/<token>.
import { NextResponse, type NextRequest } from "next/server";

import { clientIpFrom } from "@/lib/server/rate-limit";
import { createOrResumeRun, entryParamsSchema } from "@/lib/server/runs";

type Ctx = { params: Promise<{ slug: string }> };

export async function GET(req: NextRequest, { params }: Ctx) {
  const { slug } = await params;
  const url = new URL(req.url);
  const parsed = entryParamsSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success || !/^[a-z0-9-]{1,64}$/.test(slug)) {
    return NextResponse.redirect(
      new URL(`/s/${encodeURIComponent(slug.slice(0, 64))}/closed?reason=bad-link`, url),
      303,
    );
  }
  const cookieName = `nta_run_${slug}`;
  const result = await createOrResumeRun(slug, parsed.data, {
    resumeToken: req.cookies.get(cookieName)?.value,
    userAgent: req.headers.get("user-agent") ?? undefined,
    clientIp: clientIpFrom(req.headers),
  });
  if (result.kind === "refused") {
    return NextResponse.redirect(new URL(`/s/${slug}/closed?reason=${result.reason}`, url), 303);
  }
  const res = NextResponse.redirect(new URL(`/run/${result.token}`, url), 303);
  res.cookies.set(cookieName, result.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 7,
  });
  return res;
}
