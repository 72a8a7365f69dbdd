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
import { SOURCE_LABEL } from "@/components/dashboard/stream-sources";
import { CostsTable } from "@/components/dashboard/summary-tables";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { timingFlagMessages } from "@/lib/core/plausibility";
import { fig8Streams, toFig8View, toTrialChartData } from "@/lib/core/recovery";
import { MODEL_SOURCES, parseStreamChoice } from "@/lib/core/model-sources";
import { modelSeedFor } from "@/lib/model/seeds";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";
import { fetchRunStreams, fetchStudyDashboard } from "@/lib/server/dashboard";
import { fetchParticipantDetails } from "@/lib/server/participant-details";
import { fetchOwnedStudy } from "@/lib/server/studies";

import "../../../../dashboard.css";
import { requireResearcherId } from "../../../require-researcher";

import { RunIntegrity } from "./run-integrity";

export const dynamic = "force-dynamic";

const WINDOW = 5;

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; runId: string }>;
  searchParams: Promise<{ source?: string }>;
}) {
  const { id, runId } = await params;
  const sp = await searchParams;
  const source = parseStreamChoice(sp.source);
  const userId = await requireResearcherId(`/studies/${id}/runs/${runId}`);
  const study = await fetchOwnedStudy(userId, id);
  // An unknown run (or study) renders this segment's not-found page: "Participant not found".
  const data = study ? await fetchRunStreams(study.id, runId, source) : null;
  const details = study && data ? await fetchParticipantDetails(study.id, runId) : null;
  if (!study || !data || !details) notFound();
  const { run, human, models, available } = data;
  const sequence = curriculumToStimulusTrials(curriculumSchema.parse(run.curriculum));
  // Same seeds as the server job and the participant's browser, so all runs are comparable.
  const seeds = {
    flexible: modelSeedFor(run.seed, "flexible"),
    forgetful: modelSeedFor(run.seed, "forgetful"),
  };
  // The study dashboard's SQL for this one run (one switch-cost definition everywhere).
  const d = await fetchStudyDashboard(
    { studyId: study.id, runId: run.id, completedOnly: false, excludePilots: false, source },
    { levels: "first4" },
  );
  const view = toFig8View(fig8Streams(d, "This participant"), 4);
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
        model streams shown:{" "}
        {models.length
          ? models
              .map((m) => `${m.preset} (from ${SOURCE_LABEL[m.source]}, seed ${m.seed})`)
              .join(", ")
          : "none yet"}
      </p>
      <ParticipantFacts details={details} />
      <RunIntegrity
        timingFlags={timingFlagMessages(run.timingFlags)}
        transfers={run.transfers}
        transferredAt={run.transferredAt}
      />
      {available.length > 0 ? (
        <p className="muted" data-testid="run-stream-sources">
          Stored for this run:{" "}
          {available.map((m) => `${m.preset} from ${SOURCE_LABEL[m.source]}`).join(", ")}. Show:{" "}
          {(["canonical", ...MODEL_SOURCES] as const)
            .filter((s) => s === "canonical" || available.some((m) => m.source === s))
            .map((s, i) => (
              <span key={s}>
                {i > 0 ? " · " : ""}
                {s === source ? (
                  <strong>{s === "canonical" ? "canonical" : SOURCE_LABEL[s]}</strong>
                ) : (
                  <a href={s === "canonical" ? "?" : `?source=${s}`}>
                    {s === "canonical" ? "canonical" : SOURCE_LABEL[s]}
                  </a>
                )}
              </span>
            ))}
        </p>
      ) : null}
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
        positions={d.options.positions}
        emptyHumanText="This participant has no main-phase trial saved yet."
        emptyModelText="No model stream yet: run it in this browser or on the server."
      />
      <h2>Switch − repeat costs</h2>
      <CostsTable rows={view.costs} repeatFrom={d.options.repeatFromPosition} />
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
