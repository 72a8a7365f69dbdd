"use client";
// Live runs table of a study: polls GET /api/studies/<id>/runs every few seconds while the tab is
// visible (the server aggregates progress and accuracy; this only renders).
import { useEffect, useState } from "react";

import { RUN_STATUSES, type RunMonitorData, type RunStatus } from "@/lib/core/run-monitor";

const POLL_MS = 3000;

function relative(fromIso: string, nowMs: number) {
  const s = Math.max(0, Math.round((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

const STATUS_HELP: Record<RunStatus, string> = {
  started: "opened the link, no trial saved yet",
  active: "saving trials now",
  completed: "all trials saved",
  abandoned: "silent for over 30 minutes",
  returned: "withdrew / returned on the recruiter",
};

export function RunsMonitor({ studyId, initial }: { studyId: string; initial: RunMonitorData }) {
  const [data, setData] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  // Relative times are computed against the server's clock of the last answer, so a skewed
  // browser clock cannot show "-3 min ago".
  const nowMs = Date.parse(data.generatedAt);

  useEffect(() => {
    let stopped = false;
    async function poll() {
      if (document.visibilityState !== "visible") return;
      try {
        const res = await fetch(`/api/studies/${studyId}/runs`, { cache: "no-store" });
        if (res.status === 401)
          return setProblem("Your session has expired: sign in again to keep monitoring.");
        if (!res.ok) return setProblem(`Could not refresh (HTTP ${res.status}); retrying.`);
        const next = (await res.json()) as RunMonitorData;
        if (!stopped) {
          setData(next);
          setProblem(null);
        }
      } catch {
        setProblem("Could not reach the server; retrying.");
      }
    }
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [studyId]);

  const participants = data.runs.filter((r) => !r.isPilot).length;
  return (
    <section data-testid="runs-monitor">
      <div className="r-counts">
        <div className="r-count">
          <strong data-testid="count-total">{data.runs.length}</strong>runs ({participants}{" "}
          participants)
        </div>
        {RUN_STATUSES.map((s) => (
          <div key={s} className="r-count" title={STATUS_HELP[s]}>
            <strong data-testid={`count-${s}`}>{data.statusCounts[s] ?? 0}</strong>
            {s}
          </div>
        ))}
      </div>
      <p className="muted" aria-live="polite">
        Live: refreshes every {POLL_MS / 1000} s · last update{" "}
        {new Date(data.generatedAt).toLocaleTimeString()}
        {problem ? <span className="error"> · {problem}</span> : null}
      </p>
      {data.runs.length === 0 ? (
        <p className="muted">
          No runs yet. Open the study and share the participant link, or try the pilot link
          yourself.
        </p>
      ) : (
        <table className="data" data-testid="runs-table">
          <thead>
            <tr>
              <th className="r-num">#</th>
              <th>External id</th>
              <th>Source</th>
              <th>Status</th>
              <th>Progress (main trials)</th>
              <th className="r-num">Accuracy</th>
              <th>Data quality</th>
              <th>Last seen</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {data.runs.map((r) => (
              <tr key={r.id}>
                <td className="r-num">{r.participantIndex}</td>
                <td>{r.externalId ?? <span className="muted">none</span>}</td>
                <td>{r.source}</td>
                <td>
                  <span className={`r-badge r-${r.status}`} title={STATUS_HELP[r.status]}>
                    {r.status}
                  </span>{" "}
                  {r.isPilot ? <span className="r-badge r-pilot">pilot</span> : null}
                </td>
                <td>
                  <span className="r-progress" aria-hidden>
                    <span
                      style={{
                        width: `${r.expectedTrials ? Math.min(100, (100 * r.savedTrials) / r.expectedTrials) : 0}%`,
                      }}
                    />
                  </span>
                  {r.savedTrials} / {r.expectedTrials}
                </td>
                <td className="r-num">
                  {r.accuracy === null ? "–" : `${Math.round(r.accuracy * 100)} %`}
                </td>
                <td data-testid="run-quality">
                  {r.quality.flagged ? (
                    <>
                      <span className="r-badge r-flagged" title={r.quality.reasons.join("\n")}>
                        flagged
                      </span>{" "}
                      {r.quality.summary}
                      <ul className="r-reasons">
                        {r.quality.reasons.map((reason) => (
                          <li key={reason}>{reason}</li>
                        ))}
                      </ul>
                    </>
                  ) : (
                    <span className="muted">no flags</span>
                  )}
                </td>
                <td title={r.lastSeenAt}>{relative(r.lastSeenAt, nowMs)}</td>
                <td title={r.startedAt}>{r.startedAt.slice(0, 16).replace("T", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
