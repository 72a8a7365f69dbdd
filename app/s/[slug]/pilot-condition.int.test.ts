// A pilot link may pick a condition by name; a wrong name, or a condition on a participant link,
// is refused with its own page and stores nothing.
import { NextRequest } from "next/server";

import { GET } from "@/app/s/[slug]/route";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { makeTestStudy } from "@/lib/server/testing/study-fixtures";

const design = {
  blocks: 12,
  trialsPerBlock: 8,
  conditions: [{ name: "short" }, { name: "long", blocks: 2, trialsPerBlock: 48 }],
};

describe("GET /s/<slug>?pilot=…&condition=…", () => {
  it("a pilot link picks a condition; a wrong condition, or one on a participant link, is refused and stores nothing", async () => {
    const study = await makeTestStudy("cond-pilot", "draft", design);
    const enter = (query: string) =>
      GET(new NextRequest(`http://test/s/cond-pilot?${query}`), {
        params: Promise.resolve({ slug: "cond-pilot" }),
      });
    for (const q of [
      `pilot=${study.id}&condition=medium`,
      `pilot=${study.id}&condition=Long`,
      `participant=x&condition=long`,
    ]) {
      const r = await enter(q);
      expect(r.headers.get("location")).toMatch(/\/closed\?reason=(bad-condition|closed)$/);
    }
    await getDb().study.update({ where: { id: study.id }, data: { status: "open" } });
    expect((await enter("participant=x&condition=long")).headers.get("location")).toMatch(
      /reason=bad-condition$/,
    );
    expect(await getDb().run.count({ where: { studyId: study.id } })).toBe(0);
    const ok = await enter(`pilot=${study.id}&condition=long`);
    expect(ok.headers.get("location")).toMatch(/^\/run\//);
    const [run] = await getDb().run.findMany({ where: { studyId: study.id } });
    expect(run).toMatchObject({ condition: "long", isPilot: true });
    expect(studyConfigSchema.parse(run.config).trialsPerBlock).toBe(48);
  });
});
