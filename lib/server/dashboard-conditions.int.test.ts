// The dashboard by condition: a condition filter gives exactly the numbers of the same dashboard
// with the other conditions' runs left out (from the stored summaries and from every trial), the
// group statistics count only that condition's participants, and the monitor shows each run's
// condition.
import { fetchStudyDashboard } from "./dashboard";
import { getDb } from "./db";
import { fetchGroupStats } from "./group-stats";
import { fetchStudyMonitor } from "./monitor";
import { seedSyntheticStudy } from "./testing/dashboard-fixtures";

async function twoConditionStudy(slug: string) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const s = await seedSyntheticStudy(db, {
    ownerId: owner.id,
    slug,
    runs: 7,
    blocks: 9,
    perBlock: 8,
    seed: 3,
  });
  const ids = s.runs.map((r) => r.runId);
  const short = ids.filter((_, i) => i % 2 === 0);
  const long = ids.filter((_, i) => i % 2 === 1);
  await db.run.updateMany({ where: { id: { in: short } }, data: { condition: "short" } });
  await db.run.updateMany({ where: { id: { in: long } }, data: { condition: "long" } });
  return { owner, studyId: s.studyId, short, long };
}

describe("dashboard by condition", () => {
  it("filters every number to one condition's runs, from summaries and from trials", async () => {
    const { studyId, short, long } = await twoConditionStudy("dc-1");
    for (const from of ["auto", "trials"] as const) {
      const one = await fetchStudyDashboard({ studyId, condition: "short" }, {}, { from });
      const same = await fetchStudyDashboard({ studyId, excludeRunIds: long }, {}, { from });
      expect(one.human.streams).toBe(short.length);
      expect(one.models.flexible.streams).toBe(short.length);
      expect(one).toEqual(same);
      const other = await fetchStudyDashboard({ studyId, condition: "long" }, {}, { from });
      expect(other.human.streams).toBe(long.length);
      expect(other.human.switchCost).not.toEqual(one.human.switchCost);
    }
    const none = await fetchStudyDashboard({ studyId, condition: "missing" });
    expect(none.human.streams).toBe(0);
    const all = await fetchStudyDashboard({ studyId });
    expect(all.human.streams).toBe(7);
  });

  it("computes the group statistics per condition", async () => {
    const { owner, studyId, short, long } = await twoConditionStudy("dc-2");
    const g = await fetchGroupStats(owner.id, studyId, { condition: "long" });
    expect(g.participants.map((p) => p.runId).sort()).toEqual([...long].sort());
    expect(g.practice.human.participants).toBeLessThanOrEqual(long.length);
    const s = await fetchGroupStats(owner.id, studyId, { condition: "short" });
    expect(s.participants.map((p) => p.runId).sort()).toEqual([...short].sort());
    expect((await fetchGroupStats(owner.id, studyId)).participants).toHaveLength(7);
  });

  it("shows each run's condition on the monitor", async () => {
    const { owner, studyId, short } = await twoConditionStudy("dc-3");
    const m = await fetchStudyMonitor(owner.id, studyId);
    const byId = new Map(m!.runs.map((r) => [r.id, r.condition]));
    expect(byId.get(short[0])).toBe("short");
    expect([...byId.values()].filter((c) => c === "long")).toHaveLength(3);
  });
});
