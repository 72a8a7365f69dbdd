// Study dashboard (owner only): the Fig. 8 view — participants, flexible and forgetful model side
// by side — post-switch trends, switch − repeat costs, exclusions and counts. Data: SQL cells
// (lib/server/dashboard.ts) shaped by lib/core/recovery.ts.
import Link from "next/link";
import { notFound } from "next/navigation";

import { ConditionCompare } from "@/components/dashboard/condition-compare";
import { Fig8Panels } from "@/components/dashboard/fig8-panels";
import { FitPanel } from "@/components/dashboard/fit-panel";
import { GroupStatsPanel } from "@/components/dashboard/group-stats-panel";
import { CostsTable, ExclusionList } from "@/components/dashboard/summary-tables";
import { ModelJobsButton } from "@/components/dashboard/model-jobs-button";
import { StyledTrendChart } from "@/components/dashboard/prediction-panels";
import { StreamSources } from "@/components/dashboard/stream-sources";
import {
  dashboardConditions,
  parseConditionParam,
  toConditionComparison,
} from "@/lib/core/condition-view";
import { toPredictionOverlay } from "@/lib/core/predictions";
import { fig8Streams, toFig8View } from "@/lib/core/recovery";
import { studyConfigSchema } from "@/lib/core/study-config";
import { parseStreamChoice } from "@/lib/core/model-sources";
import { fetchDashboardRuns, fetchStudyDashboard } from "@/lib/server/dashboard";
import { fetchGroupStats } from "@/lib/server/group-stats";
import { fetchPredictions } from "@/lib/server/predictions";
import { fetchOwnedStudy } from "@/lib/server/studies";

import "../../../dashboard.css";
import { requireResearcherId } from "../../require-researcher";

export const dynamic = "force-dynamic";

type Search = {
  levels?: string;
  pilots?: string;
  postError?: string;
  design?: string;
  source?: string;
  flagged?: string;
  condition?: string;
};

/** "8x16" → 8 blocks of 16 trials. */
function parseDesign(text: string | undefined) {
  const m = /^(\d{1,4})x(\d{1,5})$/.exec(text ?? "");
  return m ? { blocks: Number(m[1]), blockLength: Number(m[2]) } : undefined;
}

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
  const first4 = sp.levels === "first4";
  const source = parseStreamChoice(sp.source);
  const config = studyConfigSchema.parse(study.config);
  const allRuns = await fetchDashboardRuns(study.id);
  // Conditions: none offered keeps the dashboard as it is for a study without them.
  const conditions = dashboardConditions(
    config.conditions.map((c) => c.name),
    allRuns.map((r) => r.condition),
  );
  const condition = parseConditionParam(sp.condition, conditions);
  const runs = condition === undefined ? allRuns : allRuns.filter((r) => r.condition === condition);
  const levels = first4 ? "first4" : "grouped";
  /** Group statistics and the Fig. 8 data of every run, or of one condition's runs. */
  const dashboardOf = async (only: string | undefined) => {
    const groupStats = await fetchGroupStats(userId, study.id, {
      includeFlagged: sp.flagged === "include",
      condition: only,
    });
    const d = await fetchStudyDashboard(
      {
        studyId: study.id,
        excludePilots: sp.pilots !== "include",
        design: parseDesign(sp.design),
        source,
        excludeRunIds: groupStats.excluded.map((e) => e.runId),
        condition: only,
      },
      { levels, dropPostError: sp.postError === "1" },
    );
    return { groupStats, d };
  };
  const { groupStats, d } = await dashboardOf(condition);
  const view = toFig8View(fig8Streams(d), first4 ? 4 : Infinity);
  const comparison =
    conditions.length > 0 && condition === undefined
      ? toConditionComparison(
          await Promise.all(
            conditions.map(async (c) => {
              const one = await dashboardOf(c);
              return {
                condition: c,
                streams: fig8Streams(one.d),
                practice: one.groupStats.practice,
              };
            }),
          ),
        )
      : null;
  // the model's predictions for the condition shown (none when every condition is shown)
  const predicted =
    conditions.length === 0 || condition !== undefined
      ? (await fetchPredictions(study, { levels, condition: condition ?? null }))[0]
      : undefined;
  const overlay = predicted
    ? toPredictionOverlay(
        fig8Streams(d).map((s) => ({
          key: s.key,
          label: s.label,
          perSwitch: s.analysis.trend.perSwitch,
        })),
        predicted,
      )
    : null;
  const link = (patch: Search) =>
    `?${new URLSearchParams(Object.entries({ ...sp, ...patch }).filter(([, v]) => v) as [string, string][])}`;
  const design = d.design;
  const spl = d.options.switchesPerLevel;
  return (
    <main>
      <p>
        <Link href={`/studies/${study.id}`}>← {study.title}</Link> ·{" "}
        <Link href="/paper">Paper reproduction</Link>
      </p>
      <h1>Switch dashboard: participants vs NTA model</h1>
      <p className="muted" data-testid="dashboard-design">
        {design ? (
          <>
            After each rule switch (uncued), how fast do participants and the model recover? The{" "}
            {design.runs} run{design.runs === 1 ? "" : "s"} shown had{" "}
            <strong>
              {design.blocks} blocks × {design.blockLength} trials, so {design.switches} switch
              {design.switches === 1 ? "" : "es"}
            </strong>{" "}
            (read from their trials). x = trial j after a switch, j = 1…{d.options.positions}; each
            line is one practice level (
            {first4
              ? "switches 1–4 individually, as in Fig. 8B of Sandbrink et al. 2024"
              : spl > 1
                ? `${spl} consecutive switches pooled`
                : "one line per switch"}
            ), darkest = earliest. Lower is better on every axis. Only completed runs count.
          </>
        ) : (
          <>No completed run has trials yet, so there is no design to describe.</>
        )}
      </p>
      {d.designs.length > 1 ? (
        <div className="r-error-box" data-testid="mixed-designs" role="note">
          <strong>The runs of this study do not all have the same design</strong> (the study was
          edited while it ran). Designs are never pooled; showing one at a time:{" "}
          {d.designs.map((g, i) => (
            <span key={`${g.blocks}x${g.blockLength}`}>
              {i > 0 ? " · " : ""}
              <a
                href={link({ design: `${g.blocks}x${g.blockLength}` })}
                className={
                  g.blocks === design?.blocks && g.blockLength === design?.blockLength ? "r-on" : ""
                }
                data-testid="design-link"
              >
                {g.blocks} × {g.blockLength} ({g.switches} switches): {g.runs} run
                {g.runs === 1 ? "" : "s"}
              </a>
            </span>
          ))}
        </div>
      ) : null}
      {conditions.length > 0 ? (
        <div className="r-options" data-testid="condition-options">
          <span>Condition:</span>
          <a className={condition === undefined ? "r-on" : ""} href={link({ condition: "" })}>
            all conditions (and compared)
          </a>
          {conditions.map((c) => (
            <a
              key={c}
              className={condition === c ? "r-on" : ""}
              href={link({ condition: c })}
              data-testid={`condition-link-${c}`}
            >
              {c}
            </a>
          ))}
        </div>
      ) : null}
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
            <strong>{d.models.forgetful.streams}</strong> forgetful model streams (one per run and
            model: {source === "canonical" ? "canonical choice" : `${source} only`})
          </p>
          <ModelJobsButton studyId={study.id} label="Run models for all completed runs" />
        </div>
        <StreamSources
          inventory={d.inventory}
          selected={source}
          hrefFor={(s) => link({ source: s === "canonical" ? "" : s })}
        />
      </section>
      <Fig8Panels
        view={view}
        positions={d.options.positions}
        emptyHumanText={
          <>
            No completed participant run yet. Share the study link, take part yourself as a pilot
            (pilots show with &ldquo;Include pilot runs&rdquo;), or open the simulated demo study
            that <code>npm run demo</code> seeds.
          </>
        }
        emptyModelText='No model streams yet: press "Run models for all completed runs".'
      />
      {overlay && predicted ? (
        <section className="card" style={{ margin: "1rem 0" }} data-testid="prediction-overlay">
          <h2 style={{ marginTop: 0 }}>
            Observed vs predicted{condition !== undefined ? `: condition ${condition}` : ""}
          </h2>
          <p className="muted">
            Solid: the data above. Dashed: the models&apos; predictions made before any data, on the
            current settings ({predicted.design.blocks} blocks × {predicted.design.trialsPerBlock}{" "}
            trials; {predicted.participants} participant seeds × {predicted.modelSeeds} model seeds;
            study page).
          </p>
          <StyledTrendChart
            title="Error after each switch: observed and predicted"
            rows={overlay.rows}
            series={overlay.series}
            measure="errorPct"
            testId="overlay-error"
          />
        </section>
      ) : null}
      {comparison ? (
        <>
          <h2>Condition vs condition</h2>
          <ConditionCompare view={comparison} />
        </>
      ) : null}
      <h2>Switch − repeat costs, by congruency</h2>
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
              {r.condition !== null ? <span className="r-badge">{r.condition}</span> : null}{" "}
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
