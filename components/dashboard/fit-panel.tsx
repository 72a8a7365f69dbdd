"use client";
// Model fits (docs/fitting.md): queue a "fit" job (POST /api/studies/<id>/fits {runId?, link}),
// follow the newest fit job with a progress bar (polling GET …/fits every 2 s while it is queued or
// running), and show the stored fits: study mode (no runId) = StudyFits, participant mode = RunFits
// (components/dashboard/fit/). Every number shown is computed on the server (lib/model/fit/compare.ts).
import { useCallback, useEffect, useRef, useState } from "react";

import { type FitJob, fitQueuedSchema } from "@/lib/core/api-responses";

import {
  type FitPanelRun,
  type FitsResponse,
  type LinkName,
  type RunFitRows,
  errorText,
  parseFitsBody,
} from "./fit/format";
import { JobProgress } from "./fit/job-progress";
import { RunFits } from "./fit/run-fits";
import { StudyFits } from "./fit/study-fits";

export type { FitPanelRun };

const LINKS: { value: LinkName; label: string }[] = [
  { value: "ddm", label: "response times + keys (DDM)" },
  { value: "choice", label: "keys only" },
];

export function FitPanel({
  studyId,
  runId,
  runs = [],
}: {
  studyId: string;
  runId?: string;
  runs?: FitPanelRun[];
}) {
  const [data, setData] = useState<FitsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [postError, setPostError] = useState<string | null>(null);
  const [queued, setQueued] = useState<FitJob | null>(null);
  const [link, setLink] = useState<LinkName>("ddm");
  const [posting, setPosting] = useState(false);
  const seq = useRef(0);
  const url = `/api/studies/${studyId}/fits${runId ? `?${new URLSearchParams({ runId })}` : ""}`;

  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const res = await fetch(url, { cache: "no-store" });
      if (mine !== seq.current) return;
      if (!res.ok) return setLoadError(await errorText(res, "Could not read the fits"));
      const body = parseFitsBody(await res.json());
      if (mine !== seq.current) return;
      if ("error" in body) return setLoadError(body.error);
      setData(body.data);
      setLoadError(null);
    } catch (err) {
      if (mine === seq.current)
        setLoadError(
          `Could not read the fits: ${err instanceof Error ? err.message : String(err)}`,
        );
    }
  }, [url]);

  useEffect(() => {
    // load() sets state only after its fetch resolves, not synchronously in the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  // The job shown: the one just queued here, else the newest fit job of this run (participant mode)
  // or of the study (study mode).
  const jobs = (data?.jobs ?? []).filter((j) => !runId || j.runId === runId);
  const job = (queued && (data?.jobs.find((j) => j.id === queued.id) ?? queued)) || jobs[0] || null;
  const active = job !== null && (job.status === "queued" || job.status === "running");

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await load();
      if (!stopped) timer = setTimeout(() => void tick(), 2000);
    };
    timer = setTimeout(() => void tick(), 2000);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, load]);

  async function start() {
    setPosting(true);
    setPostError(null);
    try {
      const res = await fetch(`/api/studies/${studyId}/fits`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...(runId ? { runId } : {}), link }),
      });
      if (!res.ok) return setPostError(await errorText(res, "Could not start the fit"));
      const body = fitQueuedSchema.parse(await res.json());
      setQueued({
        ...body.job,
        progress: 0,
        message: null,
        error: null,
        createdAt: new Date().toISOString(),
      });
      await load();
    } catch (err) {
      setPostError(`Could not start the fit: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setPosting(false);
    }
  }

  const byRun = new Map<string, RunFitRows>();
  for (const f of data?.fits ?? [])
    if (f.runId) byRun.set(f.runId, { ...byRun.get(f.runId), [f.model]: f });

  return (
    <div className="r-stack" data-testid={runId ? "fit-panel-run" : "fit-panel-study"}>
      <div className="r-actions">
        <button
          className="button"
          type="button"
          onClick={() => void start()}
          disabled={posting || active}
          data-testid="fit-start"
        >
          {runId ? "Fit this participant" : "Fit model to all completed participants"}
        </button>
        <label className="r-actions" style={{ gap: "0.4rem" }}>
          <span>Data fitted:</span>
          <select
            className="r-input"
            style={{ width: "auto" }}
            value={link}
            onChange={(e) => setLink(e.target.value as LinkName)}
            disabled={posting || active}
            data-testid="fit-link"
          >
            {LINKS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {job ? <JobProgress job={job} runs={runs} studyMode={!runId} /> : null}
      {postError ? (
        <p className="r-error-box" role="alert" data-testid="fit-error">
          {postError}
        </p>
      ) : null}
      {loadError ? (
        <p className="r-error-box" role="alert" data-testid="fit-load-error">
          {loadError}
        </p>
      ) : null}
      {data === null && !loadError ? <p className="muted">Loading fits…</p> : null}
      {data !== null && runId ? (
        <RunFits
          fits={byRun.get(runId)}
          comparison={data.comparisons?.[runId] ?? null}
          ppc={data.ppc ?? null}
        />
      ) : null}
      {data !== null && !runId ? (
        <StudyFits
          studyId={studyId}
          byRun={byRun}
          comparisons={data.comparisons ?? {}}
          runs={runs}
          comparison={data.comparison}
        />
      ) : null}
    </div>
  );
}
