// A mistyped pilot link must not start a real run: it is refused with its own page, and nothing
// is stored; the right pilot link starts a run flagged as pilot, even in a draft study.
import { NextRequest } from "next/server";

import { GET } from "@/app/s/[slug]/route";
import { getDb } from "@/lib/server/db";
import { makeTestStudy as makeStudy } from "@/lib/server/testing/study-fixtures";

const enter = (slug: string, query: string) =>
  GET(new NextRequest(`http://test/s/${slug}?${query}`), {
    params: Promise.resolve({ slug }),
  });

describe("GET /s/<slug>?pilot=…", () => {
  it("refuses a mistyped pilot link on an open study without creating a run", async () => {
    const study = await makeStudy("pilot-open", "open");
    for (const wrong of [`${study.id}x`, study.id.slice(0, -1), "", "1"]) {
      const r = await enter("pilot-open", `participant=p1&pilot=${encodeURIComponent(wrong)}`);
      expect(r.status).toBe(303);
      expect(r.headers.get("location")).toMatch(/\/s\/pilot-open\/closed\?reason=bad-pilot$/);
    }
    expect(await getDb().run.count({ where: { studyId: study.id } })).toBe(0);
    const ok = await enter("pilot-open", `pilot=${study.id}`);
    expect(ok.headers.get("location")).toMatch(/\/run\//);
    const runs = await getDb().run.findMany({ where: { studyId: study.id } });
    expect(runs.map((r) => r.isPilot)).toEqual([true]);
  });

  it("lets the exact pilot link into a draft study", async () => {
    const study = await makeStudy("pilot-draft", "draft");
    expect((await enter("pilot-draft", "pilot=nope")).headers.get("location")).toMatch(
      /reason=bad-pilot$/,
    );
    expect((await enter("pilot-draft", `pilot=${study.id}`)).headers.get("location")).toMatch(
      /\/run\//,
    );
  });
});
