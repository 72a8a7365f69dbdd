"use client";
// Queue the study's prediction job (POST /api/studies/<id>/predictions) and follow it — or the one
// a save queued — with a progress bar (polling GET …/predictions); refreshes the page when done.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import {
  type PredictionState as State,
  errorMessageOf,
  predictionStateSchema,
} from "@/lib/core/api-responses";

const active = (s: State) => s.job?.status === "queued" || s.job?.status === "running";

export function PredictionButton({ studyId, initial }: { studyId: string; initial: State }) {
  const router = useRouter();
  const [state, setState] = useState<State>(initial);
  const [polling, setPolling] = useState(active(initial));
  const [message, setMessage] = useState<string | null>(null);

  async function start() {
    setMessage(null);
    const res = await fetch(`/api/studies/${studyId}/predictions`, { method: "POST" });
    if (!res.ok)
      return setMessage(
        errorMessageOf(await res.json().catch(() => null), `Could not queue (HTTP ${res.status})`),
      );
    setPolling(true);
  }

  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    async function poll() {
      const res = await fetch(`/api/studies/${studyId}/predictions`, { cache: "no-store" });
      if (stopped || !res.ok) return;
      const s = predictionStateSchema.parse(await res.json());
      setState(s);
      if (!active(s)) {
        stopped = true;
        setPolling(false);
        router.refresh();
      }
    }
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [polling, studyId, router]);

  const job = state.job;
  return (
    <div className="r-stack" style={{ gap: "0.4rem" }}>
      <div className="r-actions">
        <button
          className="button secondary"
          type="button"
          onClick={() => void start()}
          disabled={polling}
          data-testid="predict-button"
        >
          {state.state === "none" ? "Compute predictions" : "Recompute predictions"}
        </button>
        {polling && job ? (
          <span data-testid="prediction-progress">
            <progress
              max={1}
              value={job.progress}
              style={{ width: "12rem", verticalAlign: "middle" }}
            />{" "}
            {job.status === "queued" ? "queued" : `${Math.round(job.progress * 100)}%`}
            {job.message ? ` · ${job.message}` : ""}
          </span>
        ) : null}
      </div>
      {message ? <span className="r-error-box">{message}</span> : null}
      {!polling && job?.status === "failed" ? (
        <span className="r-error-box">The last prediction failed: {job.error}</span>
      ) : null}
    </div>
  );
}
