// Progress of the newest fit job (percent, message, error), polled by FitPanel.
import type { FitJob } from "@/lib/core/api-responses";

import { type FitPanelRun, pct } from "./format";

export function JobProgress({
  job,
  runs,
  studyMode,
}: {
  job: FitJob;
  runs: FitPanelRun[];
  studyMode: boolean;
}) {
  const who = !studyMode
    ? ""
    : job.runId
      ? `Participant #${runs.find((r) => r.id === job.runId)?.participantIndex ?? "?"}: `
      : "All completed participants: ";
  const state =
    job.status === "queued"
      ? job.error
        ? "retrying after an error"
        : "waiting for the job worker"
      : job.status === "running"
        ? (job.message ?? "running")
        : job.status === "done"
          ? "done"
          : "failed";
  return (
    <div className="r-stack" style={{ gap: "0.4rem" }}>
      <span data-testid="fit-progress" data-status={job.status}>
        <progress
          max={1}
          value={job.status === "done" ? 1 : job.progress}
          style={{ width: "14rem", verticalAlign: "middle" }}
        />{" "}
        {pct(job.status === "done" ? 1 : job.progress)} ·{" "}
        <span className="muted">
          {who}
          {state}
        </span>
      </span>
      {job.error ? (
        <span className="r-error-box" data-testid="fit-job-error">
          {job.status === "failed" ? "The fit failed: " : "Last attempt failed: "}
          {job.error}
        </span>
      ) : null}
    </div>
  );
}
