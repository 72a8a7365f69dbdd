// One participant (owner only): trial-by-trial accuracy and RT with blocks shaded, the model's loss
// and gates on the same trial axis, recovery curves of this participant vs the models, buttons
// to (re)compute the model streams in this browser or on the server, and the model fit (FitPanel).
import Link from "next/link";
import { notFound } from "next/navigation";

import { TrialTimeline } from "@/components/charts/trial-timeline";
import { BrowserModelRunner } from "@/components/dashboard/browser-model-runner";
import { Fig8Panels } from "@/components/dashboard/fig8-panels";
import { FitPanel } from "@/components/dashboard/fit-panel";
import { ModelJobsButton } from "@/components/dashboard/model-jobs-button";
import { CostsTable } from "@/components/dashboard/summary-tables";
import { noExclusions } from "@/lib/core/analysis";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { timingFlagMessages } from "@/lib/core/plausibility";
import { computeCellAnalysisOfRecords, toFig8View, toTrialChartData } from "@/lib/core/recovery";
import { modelSeedFor } from "@/lib/model/seeds";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";
import { fetchRunStreams } from "@/lib/server/dashboard";
import { fetchParticipantDetails } from "@/lib/server/participant-details";
import { fetchOwnedStudy } from "@/lib/server/studies";

import "../../../../dashboard.css";
import { requireResearcherId } from "../../../require-researcher";

import { RunIntegrity } from "./run-integrity";

export const dynamic = "force-dynamic";

const WINDOW = 5;
const SOURCE_TEXT: Record<string, string> = {
  server: "server",
  researcher_browser: "a researcher's browser",
};

export default async function RunPage({
  params,
}: {
  params: Promise<{ id: string; runId: string }>;
}) {
  const { id, runId } = await params;
  const userId = await requireResearcherId(`/studies/${id}/runs/${runId}`);
  const study = await fetchOwnedStudy(userId, id);
  // An unknown run (or study) renders this segment's not-found page: "Participant not found".
  const data = study ? await fetchRunStreams(study.id, runId) : null;
  const details = study && data ? await fetchParticipantDetails(study.id, runId) : null;
  if (!study || !data || !details) notFound();
  const { run, human, models } = data;
  const sequence = curriculumToStimulusTrials(curriculumSchema.parse(run.curriculum));
  // Same seeds as the server job and the participant's browser, so all runs are comparable.
  const seeds = {
    flexible: modelSeedFor(run.seed, "flexible"),
    forgetful: modelSeedFor(run.seed, "forgetful"),
  };
  const options = { positions: 8, switchesPerLevel: 1 };
  const streams = [
    {
      key: "human",
      label: "This participant",
      streams: human.length ? 1 : 0,
      analysis: computeCellAnalysisOfRecords(human, options),
      isHuman: true,
    },
    ...(["flexible", "forgetful"] as const).map((preset) => {
      const m = models.find((x) => x.preset === preset);
      return {
        key: preset,
        label: `${preset === "flexible" ? "Flexible" : "Forgetful"} model`,
        streams: m ? 1 : 0,
        isHuman: false,
        analysis: computeCellAnalysisOfRecords(m?.records ?? [], {
          ...options,
          exclusions: noExclusions,
        }),
      };
    }),
  ];
  const view = toFig8View(streams, 4);
  const timeline = toTrialChartData(
    human,
    models.map((m) => ({ preset: m.preset, records: m.records })),
    WINDOW,
  );
  return (
    <main>
      <p>
        <Link href={`/studies/${study.id}`}>← {study.title}</Link> ·{" "}
        <Link href={`/studies/${study.id}/dashboard`}>Study dashboard</Link>
      </p>
      <h1>
        Participant #{run.participantIndex}{" "}
        <span className={`r-badge r-${run.status}`}>{run.status}</span>{" "}
        {run.isPilot ? <span className="r-badge r-pilot">pilot</span> : null}
      </h1>
      <p className="muted">
        {human.length} of {run.expectedTrials} main trials saved · curriculum seed {run.seed} ·
        model streams:{" "}
        {models.length
          ? models
              .map((m) => `${m.preset} (from ${SOURCE_TEXT[m.source] ?? m.source}, seed ${m.seed})`)
              .join(", ")
          : "none yet"}
      </p>
      <ParticipantFacts details={details} />
      <RunIntegrity
        timingFlags={timingFlagMessages(run.timingFlags)}
        transfers={run.transfers}
        transferredAt={run.transferredAt}
      />
      <section className="card r-stack" style={{ margin: "1rem 0" }}>
        <BrowserModelRunner studyId={study.id} runId={run.id} sequence={sequence} seeds={seeds} />
        {run.status === "completed" ? (
          <ModelJobsButton studyId={study.id} runId={run.id} rerun label="Re-run on server" />
        ) : (
          <span className="muted">Server runs start once the run is completed.</span>
        )}
      </section>
      <h2>Trial by trial</h2>
      <TrialTimeline data={timeline} window={WINDOW} />
      <h2>Recovery after switches 1–4: this participant vs the models</h2>
      <p className="muted">
        One participant gives one trial per position and switch, so the participant&apos;s curves
        are 0 % or 100 % per point; read them together.
      </p>
      <Fig8Panels
        view={view}
        positions={options.positions}
        emptyModelText="No model stream yet: run it in this browser or on the server."
      />
      <h2>Switch − repeat costs</h2>
      <CostsTable rows={view.costs} repeatFrom={2} />
      <h2>Model fit: flexible vs forgetful</h2>
      {run.status === "completed" ? (
        <section className="card">
          <FitPanel studyId={study.id} runId={run.id} />
        </section>
      ) : (
        <p className="muted" data-testid="fit-not-completed">
          Model fits start once the run is completed.
        </p>
      )}
    </main>
  );
}

const when = (d: Date | null) =>
  d ? d.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—";

function minutesText(ms: number) {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function ParticipantFacts({
  details: d,
}: {
  details: NonNullable<Awaited<ReturnType<typeof fetchParticipantDetails>>>;
}) {
  const p = d.practice;
  return (
    <dl className="r-prolific card" data-testid="participant-facts">
      <dt>External id</dt>
      <dd data-testid="fact-external-id">
        {d.externalId ? <code>{d.externalId}</code> : <span className="muted">none</span>}{" "}
        <span className="muted">
          ({d.source}
          {d.externalStudyId ? `, study ${d.externalStudyId}` : ""}
          {d.externalSessionId ? `, session ${d.externalSessionId}` : ""})
        </span>
      </dd>
      <dt>Started</dt>
      <dd data-testid="fact-started">{when(d.startedAt)}</dd>
      <dt>Finished</dt>
      <dd data-testid="fact-finished">
        {d.completedAt ? when(d.completedAt) : <span className="muted">not finished</span>}
      </dd>
      <dt>Duration</dt>
      <dd data-testid="fact-duration">
        {minutesText(d.durationMs)}
        {d.completedAt ? "" : " so far (until last seen)"}
      </dd>
      <dt>Practice</dt>
      <dd data-testid="fact-practice">
        {p.kind === "none"
          ? "no practice in this design"
          : p.attempts === 0
            ? "no complete attempt"
            : `${p.passed ? "passed" : "not passed"} after ${p.attempts} attempt${
                p.attempts === 1 ? "" : "s"
              } (last attempt ${Math.round((p.accuracy ?? 0) * 100)} % correct)`}
      </dd>
      <dt>Browser</dt>
      <dd data-testid="fact-browser" title={d.userAgent ?? undefined}>
        {d.browser}
      </dd>
      <dt>Attention</dt>
      <dd data-testid="fact-events">
        {d.events.summary.fullscreenExits} full-screen exit
        {d.events.summary.fullscreenExits === 1 ? "" : "s"}, {d.events.summary.tabSwitches} tab or
        window switch{d.events.summary.tabSwitches === 1 ? "" : "es"}, {d.events.summary.resizes}{" "}
        resize{d.events.summary.resizes === 1 ? "" : "s"}
      </dd>
    </dl>
  );
}
