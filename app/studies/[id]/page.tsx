// Study overview (owner only): status and links, live runs monitor (its filter, sort and page are
// in the URL), exports, curriculum preview, and managing the study (duplicate, archive, delete).
import Link from "next/link";
import { notFound } from "next/navigation";

import { PredictionButton } from "@/components/dashboard/prediction-button";
import { PredictionPanels } from "@/components/dashboard/prediction-panels";
import { CopyLink } from "@/components/studies/copy-link";
import { CurriculumPreview } from "@/components/studies/curriculum-preview";
import { ProlificFields } from "@/components/studies/prolific-fields";
import { RunsMonitor } from "@/components/studies/runs-monitor";
import { computeCurriculumPreview } from "@/lib/core/curriculum-preview";
import { toPredictionView } from "@/lib/core/predictions";
import { monitorQuerySchema, parseMonitorQuery } from "@/lib/core/run-monitor";
import { studyConfigSchema } from "@/lib/core/study-config";
import { fetchStudyMonitor } from "@/lib/server/monitor";
import { fetchPredictionState, fetchPredictions } from "@/lib/server/predictions";
import { fetchOwnedStudy } from "@/lib/server/studies";

import "../../dashboard.css";
import { duplicateStudyAction, setStudyArchivedAction, setStudyStatusAction } from "../actions";
import { requireResearcherId } from "../require-researcher";

export const dynamic = "force-dynamic";

// The main (blue) action is the natural next step: opening a draft; on a running or closed study,
// its dashboard. Closing and reopening are plain buttons.
const NEXT_STATUS = {
  draft: { status: "open", label: "Open for participants", primary: true },
  open: { status: "closed", label: "Close study", primary: false },
  closed: { status: "open", label: "Reopen study", primary: false },
} as const;

const STATUS_TEXT = {
  draft: "Draft: participants cannot start yet; the pilot link works for you.",
  open: "Open: the participant link accepts new participants.",
  closed: "Closed: new participants are turned away; unfinished runs can still save their trials.",
} as const;

export default async function StudyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? sp[k] : undefined);
  const saved = one("saved");
  const error = one("error");
  const duplicated = one("duplicated");
  const userId = await requireResearcherId(`/studies/${id}`);
  const study = await fetchOwnedStudy(userId, id);
  // The monitor's own parameters from the URL (a bad one falls back to the first page).
  const monitorParams = new URLSearchParams();
  for (const key of Object.keys(monitorQuerySchema.shape)) {
    const v = one(key);
    if (v !== undefined) monitorParams.set(key, v);
  }
  const parsed = parseMonitorQuery(monitorParams);
  const monitor = study
    ? await fetchStudyMonitor(userId, study.id, parsed.ok ? parsed.query : undefined)
    : null;
  if (!study || !monitor) notFound();
  const config = studyConfigSchema.parse(study.config);
  const preview = computeCurriculumPreview(config);
  const next = NEXT_STATUS[study.status];
  const prolific = `/s/${study.slug}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`;
  const exportBase = `/api/studies/${study.id}/export`;
  const [predictionState, predictions] = await Promise.all([
    fetchPredictionState(study),
    fetchPredictions(study),
  ]);
  const predictionsBase = `/api/studies/${study.id}/predictions`;
  return (
    <main>
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>
          {study.title}{" "}
          <span className={`r-badge r-${study.status}`} data-testid="study-status">
            {study.status}
          </span>
        </h1>
        <div className="r-actions">
          <Link
            className={next.primary ? "button secondary" : "button"}
            href={`/studies/${study.id}/dashboard`}
            data-testid="dashboard-button"
          >
            Human vs model dashboard
          </Link>
          <Link className="button secondary" href={`/studies/${study.id}/edit`}>
            Edit settings
          </Link>
          {study.archivedAt ? null : (
            <form action={setStudyStatusAction.bind(null, study.id)}>
              <input type="hidden" name="status" value={next.status} />
              <button
                className={next.primary ? "button" : "button secondary"}
                type="submit"
                data-testid="status-button"
              >
                {next.label}
              </button>
            </form>
          )}
        </div>
      </div>
      {study.archivedAt ? (
        <p className="r-notice" data-testid="archived-notice">
          <span className="r-badge r-archived">archived</span> Archived on{" "}
          {study.archivedAt.toISOString().slice(0, 10)}: hidden from your studies list, and every
          link (pilot included) tells participants the study has ended. Unarchive it below to use it
          again.
        </p>
      ) : null}
      {duplicated ? (
        <p className="r-notice" data-testid="duplicated-notice">
          This is a new draft copy: same settings, new participant link, no runs.
        </p>
      ) : null}
      <p className="muted">{STATUS_TEXT[study.status]}</p>
      {saved ? <p className="r-notice">Settings saved.</p> : null}
      {error ? (
        <p className="r-error-box" role="alert">
          {error}
        </p>
      ) : null}

      <section className="card">
        <h2 style={{ marginTop: 0 }}>Links</h2>
        <div className="r-links">
          <CopyLink label="Participant link" path={`/s/${study.slug}`} testId="participant-link" />
          <CopyLink label="Prolific study URL" path={prolific} testId="prolific-link" />
          <CopyLink
            label="Pilot link (you)"
            path={`/s/${study.slug}?pilot=${study.id}`}
            testId="pilot-link"
          />
          {config.conditions.map((c) => (
            <CopyLink
              key={c.name}
              label={`Pilot link, condition ${c.name}`}
              path={`/s/${study.slug}?pilot=${study.id}&condition=${encodeURIComponent(c.name)}`}
              testId={`pilot-link-${c.name}`}
            />
          ))}
        </div>
        <p className="muted" style={{ marginBottom: 0 }}>
          Paste the Prolific URL into Prolific as is (it fills in the ids). Pilot runs work in every
          status, are flagged as pilot, never redirect to the recruiter and should be excluded from
          analysis.
        </p>
      </section>

      <ProlificFields slug={study.slug} config={config} />
      <h2>Model predictions (before any data)</h2>
      <p className="muted">
        What the NTA model does on{" "}
        {config.conditions.length > 1 ? "each condition's" : "this study's"} curricula before anyone
        takes part: the flexible and the forgetful model learn the curricula of the first{" "}
        {predictions[0]?.participants ?? 10} participant seeds (each from several model seeds),
        computed in the background whenever the design is saved. The seeds are stored with the
        curves; export them with your pre-registration.
      </p>
      <section className="card" style={{ margin: "0 0 1rem" }}>
        <PredictionButton
          key={`${predictionState.state}:${predictionState.job?.status}`}
          studyId={study.id}
          initial={predictionState}
        />
        {predictionState.state === "stale" ? (
          <p className="r-notice" data-testid="predictions-stale">
            The settings changed since the last prediction: recompute to see the model on the
            current design.
          </p>
        ) : null}
        {predictions.length > 0 ? (
          <p className="r-actions" style={{ marginBottom: 0 }}>
            <a
              className="button secondary"
              href={`${predictionsBase}?format=json`}
              data-testid="predictions-json"
            >
              Predictions (JSON, with seeds)
            </a>
            <a
              className="button secondary"
              href={`${predictionsBase}?format=csv`}
              data-testid="predictions-csv"
            >
              Predictions (CSV)
            </a>
          </p>
        ) : predictionState.state === "none" ? (
          <p className="muted" data-testid="predictions-none" style={{ marginBottom: 0 }}>
            No predictions yet.
          </p>
        ) : null}
      </section>
      {predictions.length > 0 ? <PredictionPanels view={toPredictionView(predictions)} /> : null}
      <h2>Runs</h2>
      <RunsMonitor studyId={study.id} initial={monitor} />

      <h2>Export</h2>
      <p className="r-actions">
        <a className="button secondary" href={`${exportBase}?format=csv`} data-testid="export-csv">
          CSV (humans + model)
        </a>
        <a
          className="button secondary"
          href={`${exportBase}?format=json`}
          data-testid="export-json"
        >
          NDJSON
        </a>
        <a
          className="button secondary"
          href={`${exportBase}?format=csv&table=runs`}
          data-testid="export-runs"
        >
          Runs table (CSV)
        </a>
        <a
          className="button secondary"
          href={`${exportBase}?format=psychds`}
          data-testid="export-psychds"
        >
          psych-DS dataset (.zip)
        </a>
      </p>
      <p className="muted">
        One row per trial in long format; column <code>stream</code> tells participant and model
        rows apart, <code>pilot</code> marks pilot runs. Participants appear under a pseudonym (
        <code>participantId</code>); the runs table has one row per run with its outcome, timing,
        consent version and config. Text cells that a spreadsheet would run as a formula start with
        an apostrophe.
      </p>
      <p className="muted">
        Private, not for sharing:{" "}
        <a href={`${exportBase}?format=csv&audience=private`} data-testid="export-private">
          CSV with the raw recruiter ids
        </a>{" "}
        (Prolific PID, study and session ids beside each pseudonym).
      </p>

      <CurriculumPreview preview={preview} />

      <h2>Manage</h2>
      <section className="card r-manage" data-testid="manage-study">
        <form action={duplicateStudyAction.bind(null, study.id)}>
          <button className="button secondary" type="submit" data-testid="duplicate-button">
            Duplicate study
          </button>
        </form>
        <form action={setStudyArchivedAction.bind(null, study.id)}>
          <input type="hidden" name="archived" value={study.archivedAt ? "0" : "1"} />
          <button className="button secondary" type="submit" data-testid="archive-button">
            {study.archivedAt ? "Unarchive study" : "Archive study"}
          </button>
        </form>
        <Link
          className="button secondary r-danger"
          href={`/studies/${study.id}/delete`}
          data-testid="delete-link"
        >
          Delete study…
        </Link>
        <p className="muted" style={{ margin: 0, flexBasis: "100%" }}>
          A duplicate is a new draft with the same settings and no runs. Archiving closes the study
          and hides it from your list; its data stay. Deleting removes the study and all its data
          for good (you will see how much first).
        </p>
      </section>
    </main>
  );
}
