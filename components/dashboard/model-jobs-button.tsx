"use client";
// Queue server model-stream jobs (POST /api/studies/<id>/jobs) and follow them with a progress bar
// (polling GET …/jobs?since=…); refreshes the page's data when they are done.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import {
  errorMessageOf,
  modelJobProgressSchema,
  modelJobsQueuedSchema,
  type ModelJobProgress,
} from "@/lib/core/api-responses";

export function ModelJobsButton({
  studyId,
  runId,
  label,
  rerun = false,
}: {
  studyId: string;
  runId?: string;
  label: string;
  rerun?: boolean;
}) {
  const router = useRouter();
  const [since, setSince] = useState<string | null>(null);
  const [progress, setProgress] = useState<ModelJobProgress | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setMessage(null);
    const res = await fetch(`/api/studies/${studyId}/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...(runId ? { runId } : {}), rerun }),
    });
    const raw: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      setBusy(false);
      return setMessage(errorMessageOf(raw, `Could not queue jobs (HTTP ${res.status})`));
    }
    const body = modelJobsQueuedSchema.parse(raw);
    if (!body.jobIds.length && !body.alreadyQueued) {
      setBusy(false);
      return setMessage(
        body.runs ? "Nothing to do." : "Every completed run already has its model streams.",
      );
    }
    setMessage(
      `Queued ${body.jobIds.length} jobs for ${body.runs} run(s)${body.alreadyQueued ? ` (${body.alreadyQueued} already in the queue)` : ""}.`,
    );
    setSince(body.alreadyQueued ? new Date(Date.now() - 3_600_000).toISOString() : body.since);
  }

  useEffect(() => {
    if (!since) return;
    let stopped = false;
    const q = new URLSearchParams({ since, ...(runId ? { runId } : {}) });
    async function poll() {
      const res = await fetch(`/api/studies/${studyId}/jobs?${q}`, { cache: "no-store" });
      if (stopped) return;
      if (!res.ok) return setMessage(`Could not read job progress (HTTP ${res.status}); retrying.`);
      const p = modelJobProgressSchema.parse(await res.json());
      setProgress(p);
      if (p.counts.queued + p.counts.running === 0) {
        stopped = true;
        setBusy(false);
        setSince(null);
        router.refresh();
      }
    }
    void poll();
    const timer = setInterval(() => void poll(), 1500);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [since, studyId, runId, router]);

  return (
    <div className="r-stack" style={{ gap: "0.4rem" }}>
      <div className="r-actions">
        <button
          className="button"
          type="button"
          onClick={() => void start()}
          disabled={busy}
          data-testid={runId ? "rerun-server" : "run-models-all"}
        >
          {label}
        </button>
        {progress ? (
          <span data-testid="jobs-progress">
            <progress
              max={1}
              value={progress.progress}
              style={{ width: "12rem", verticalAlign: "middle" }}
            />{" "}
            {Math.round(progress.progress * 100)}% · {progress.counts.done} done,{" "}
            {progress.counts.running} running, {progress.counts.queued} queued
            {progress.counts.failed ? `, ${progress.counts.failed} failed` : ""}
          </span>
        ) : null}
      </div>
      {message ? <span className="muted">{message}</span> : null}
      {progress?.errors.length ? <span className="r-error-box">{progress.errors[0]}</span> : null}
    </div>
  );
}
