"use client";
// "Run in this browser": the NTA model learns this run's curriculum in a Web Worker (lib/model
// runInWorker), one preset after the other, with progress and cancel; each stream is POSTed to
// /api/studies/<id>/runs/<runId>/model-streams and stored as source researcher_browser.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { errorMessageOf } from "@/lib/core/api-responses";
import type { StimulusSequence } from "@/lib/model/stimulus-trials";
import { toTrialRecords } from "@/lib/model/simulate-stimulus";
import { runInWorker } from "@/lib/model/worker-client";

type Preset = "flexible" | "forgetful";

export function BrowserModelRunner({
  studyId,
  runId,
  sequence,
  seeds,
}: {
  studyId: string;
  runId: string;
  sequence: StimulusSequence;
  seeds: Record<Preset, number>;
}) {
  const router = useRouter();
  const abort = useRef<AbortController | null>(null);
  const [state, setState] = useState<{
    phase: "idle" | "running" | "saving" | "done" | "cancelled" | "error";
    fraction: number;
    message: string;
  }>({
    phase: "idle",
    fraction: 0,
    message: "",
  });

  async function run() {
    const controller = new AbortController();
    abort.current = controller;
    const presets: Preset[] = ["flexible", "forgetful"];
    try {
      for (const [i, preset] of presets.entries()) {
        setState({
          phase: "running",
          fraction: i / presets.length,
          message: `${preset} model learning ${sequence.trials.length} trials…`,
        });
        const res = await runInWorker(
          { mode: "stimulus", sequence, presets: [preset], seeds: 1, seed: seeds[preset] },
          {
            signal: controller.signal,
            onProgress: (done, total, backend) =>
              setState({
                phase: "running",
                fraction: (i + done / total) / presets.length,
                message: `${preset} model: trial ${done} of ${total} (${backend})`,
              }),
          },
        );
        if (res.mode !== "stimulus") throw new Error("unexpected response");
        setState((s) => ({ ...s, phase: "saving", message: `Saving the ${preset} stream…` }));
        const trials = toTrialRecords(res.result, sequence, 0);
        const post = await fetch(`/api/studies/${studyId}/runs/${runId}/model-streams`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ preset, seed: seeds[preset], trials }),
        });
        if (!post.ok)
          throw new Error(
            errorMessageOf(await post.json().catch(() => null), `HTTP ${post.status}`),
          );
      }
      setState({
        phase: "done",
        fraction: 1,
        message: "Both streams stored (source: this browser).",
      });
      router.refresh();
    } catch (err) {
      if (controller.signal.aborted)
        setState({
          phase: "cancelled",
          fraction: 0,
          message: "Cancelled; nothing new was stored for the unfinished preset.",
        });
      else
        setState({
          phase: "error",
          fraction: 0,
          message: err instanceof Error ? err.message : String(err),
        });
    } finally {
      abort.current = null;
    }
  }

  const busy = state.phase === "running" || state.phase === "saving";
  return (
    <div className="r-stack" style={{ gap: "0.4rem" }}>
      <div className="r-actions">
        <button
          className="button"
          type="button"
          onClick={() => void run()}
          disabled={busy}
          data-testid="run-in-browser"
        >
          Run in this browser
        </button>
        {busy ? (
          <>
            <progress
              max={1}
              value={state.fraction}
              style={{ width: "12rem" }}
              data-testid="browser-progress"
            />
            <button
              className="button secondary"
              type="button"
              onClick={() => abort.current?.abort()}
              data-testid="cancel-browser"
            >
              Cancel
            </button>
          </>
        ) : null}
      </div>
      {state.message ? (
        <span
          className={state.phase === "error" ? "r-error-box" : "muted"}
          data-testid="browser-status"
        >
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
