// Study dashboard (owner only): the Fig. 8 view — participants, flexible and forgetful model side
// by side — post-switch trends, switch − repeat costs, exclusions and counts. Data: SQL cells
// (lib/server/dashboard.ts) shaped by lib/core/recovery.ts.
import Link from "next/link";
import { notFound } from "next/navigation";

import { Fig8Panels } from "@/components/dashboard/fig8-panels";
import { FitPanel } from "@/components/dashboard/fit-panel";
import { GroupStatsPanel } from "@/components/dashboard/group-stats-panel";
import { CostsTable, ExclusionList } from "@/components/dashboard/summary-tables";
import { ModelJobsButton } from "@/components/dashboard/model-jobs-button";
import { switchesPerLevelFor, toFig8View } from "@/lib/core/recovery";
import { studyConfigSchema } from "@/lib/core/study-config";
import { fetchDashboard, fetchDashboardRuns } from "@/lib/server/dashboard";
import { fetchGroupStats } from "@/lib/server/group-stats";
import { fetchOwnedStudy } from "@/lib/server/studies";

import "../../../dashboard.css";
import { requireResearcherId } from "../../require-researcher";

export const dynamic = "force-dynamic";

type Search = { levels?: string; pilots?: string; postError?: string; flagged?: string };

export default async function DashboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Search>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const userId = await requireResearcherId(`/studies/${id}/dashboard`);
  const study = await fetchOwnedStudy(userId, id);
  if (!study) notFound();
  const config = studyConfigSchema.parse(study.config);
  const first4 = sp.levels === "first4";
  const switches = config.blocks - 1;
  const switchesPerLevel = first4 ? 1 : switchesPerLevelFor(switches, 4);
  const groupStats = await fetchGroupStats(userId, study.id, {
    includeFlagged: sp.flagged === "include",
  });
  const d = await fetchDashboard(
    {
      studyId: study.id,
      excludePilots: sp.pilots !== "include",
      excludeRunIds: groupStats.excluded.map((e) => e.runId),
    },
    { positions: 8, switchesPerLevel, exclusions: { dropPostError: sp.postError === "1" } },
  );
  const runs = await fetchDashboardRuns(study.id);
  const view = toFig8View(
    [
      {
        key: "human",
        label: "Participants",
        streams: d.human.streams,
        analysis: d.human,
        isHuman: true,
      },
      {
        key: "flexible",
        label: "Flexible model",
        streams: d.models.flexible.streams,
        analysis: d.models.flexible,
        isHuman: false,
      },
      {
        key: "forgetful",
        label: "Forgetful model",
        streams: d.models.forgetful.streams,
        analysis: d.models.forgetful,
        isHuman: false,
      },
    ],
    first4 ? 4 : Infinity,
  );
  const link = (patch: Search) =>
    `?${new URLSearchParams(Object.entries({ ...sp, ...patch }).filter(([, v]) => v) as [string, string][])}`;
  return (
    <main>
      <p>
        <Link href={`/studies/${study.id}`}>← {study.title}</Link> ·{" "}
        <Link href="/paper">Paper reproduction</Link>
      </p>
      <h1>Switch dashboard: participants vs NTA model</h1>
      <p className="muted">
        After each rule switch (uncued; {config.blocks} blocks × {config.trialsPerBlock} trials, so{" "}
        {switches} switches), how fast do participants and the model recover? x = trial j after a
        switch (j = 1 is the first trial under the new rule); each line is one practice level (
        {first4
          ? "switches 1–4 individually, as in Fig. 8B of Sandbrink et al. 2024"
          : switchesPerLevel > 1
            ? `${switchesPerLevel} consecutive switches pooled`
            : "one line per switch"}
        ); darker = earlier. Lower is better on every axis (y is not inverted). Only completed runs
        count.
      </p>
      <div className="r-options" data-testid="dashboard-options">
        <span>Practice levels:</span>
        <a className={first4 ? "" : "r-on"} href={link({ levels: "" })}>
          all switches in 4 groups
        </a>
        <a className={first4 ? "r-on" : ""} href={link({ levels: "first4" })}>
          switches 1–4 (Fig. 8B)
        </a>
        <span>·</span>
        <a href={link({ pilots: sp.pilots === "include" ? "" : "include" })}>
          {sp.pilots === "include" ? "Leave out pilot runs" : "Include pilot runs"}
        </a>
        <a href={link({ postError: sp.postError === "1" ? "" : "1" })}>
          {sp.postError === "1" ? "Keep post-error RTs" : "Drop post-error RTs"}
        </a>
      </div>
      <section className="card" style={{ margin: "1rem 0" }}>
        <div
          className="row"
          style={{ justifyContent: "space-between", alignItems: "flex-start", gap: "1rem" }}
        >
          <p style={{ margin: 0 }} data-testid="dashboard-counts">
            <strong>{d.human.streams}</strong> participant{d.human.streams === 1 ? "" : "s"} ·{" "}
            <strong>{d.models.flexible.streams}</strong> flexible and{" "}
            <strong>{d.models.forgetful.streams}</strong> forgetful model streams (server-computed)
          </p>
          <ModelJobsButton studyId={study.id} label="Run models for all completed runs" />
        </div>
      </section>
      <Fig8Panels
        view={view}
        positions={d.options.positions}
        emptyModelText='No model streams yet: press "Run models for all completed runs".'
      />
      <h2>Switch − repeat costs</h2>
      <CostsTable rows={view.costs} repeatFrom={d.options.repeatFromPosition} />
      <h2>Model fits: flexible vs forgetful, per participant</h2>
      <p className="muted">
        Both models learn each participant&apos;s own curriculum and are fitted to their key presses
        (and, by default, response times) by maximum likelihood; BIC compares them
        (docs/fitting.md). Pilot runs are left out of the study fit.
      </p>
      <section className="card" style={{ margin: "0 0 1rem" }}>
        <FitPanel
          studyId={study.id}
          runs={runs.map((r) => ({
            id: r.id,
            participantIndex: r.participantIndex,
            isPilot: r.isPilot,
          }))}
        />
      </section>
      <h2>Study-level statistics</h2>
      <GroupStatsPanel
        stats={groupStats}
        toggleHref={link({ flagged: sp.flagged === "include" ? "" : "include" })}
      />
      <h2>Exclusions (participants only)</h2>
      <ExclusionList report={d.human.exclusions} pilotsExcluded={d.filter.excludePilots} />
      <h2>Participants</h2>
      {runs.length === 0 ? (
        <p className="muted">No participant has started yet.</p>
      ) : (
        <ul className="r-run-list" data-testid="dashboard-runs">
          {runs.map((r) => (
            <li key={r.id}>
              <Link href={`/studies/${study.id}/runs/${r.id}`} data-testid="run-link">
                Participant #{r.participantIndex}
                {r.externalId ? ` (${r.externalId})` : ""}
              </Link>{" "}
              <span className={`r-badge r-${r.status}`}>{r.status}</span>{" "}
              {r.isPilot ? <span className="r-badge r-pilot">pilot</span> : null}{" "}
              <span className="muted">
                {r.savedTrials} trials · {r.modelStreams} model streams
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
