"use client";
// Paper reproduction in this browser: Fig. 2 and Fig. 8B of Sandbrink et al. (NeurIPS 2024) run
// in the model Web Worker (lib/model runInWorker) with progress and cancel; the numbers are shaped
// by lib/core/paper-view.ts and shown beside the acceptance bands of docs/science.md §7.
import { useRef, useState } from "react";

import {
  type Band,
  computeFig2Bands,
  computeFig8Bands,
  toDownsampledRows,
  toFig2FRows,
  toFig8BRows,
  toGateRows,
  toPostSwitchRows,
} from "@/lib/core/paper-view";
import type { PaperResponse } from "@/lib/model/run";
import { runInWorker } from "@/lib/model/worker-client";

import { LEVEL_COLORS, LinePanel } from "../charts/line-panel";
import { STREAM_COLORS } from "../charts/trend-chart";

type Fig = "fig8" | "fig2";
type Result = { response: PaperResponse; seeds: number };

function BandsTable({ bands, testId }: { bands: Band[]; testId: string }) {
  return (
    <table className="data" data-testid={testId}>
      <thead>
        <tr>
          <th>Paper claim (docs/science.md §7)</th>
          <th>Accepted range</th>
          <th>Measured</th>
          <th>Within?</th>
        </tr>
      </thead>
      <tbody>
        {bands.map((b) => (
          <tr key={b.claim}>
            <td>{b.claim}</td>
            <td className="r-num">
              {b.low} – {b.high}
            </td>
            <td className="r-num">{b.measured === null ? "–" : b.measured.toFixed(3)}</td>
            <td className={b.within ? "r-band-ok" : "r-band-off"}>
              {b.within === null ? "–" : b.within ? "yes" : "no"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PaperRunner() {
  const [seeds, setSeeds] = useState<Record<Fig, number>>({ fig8: 10, fig2: 5 });
  const [progress, setProgress] = useState<{ fig: Fig; fraction: number; text: string } | null>(
    null,
  );
  const [results, setResults] = useState<Partial<Record<Fig, Result>>>({});
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run(fig: Fig) {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ fig, fraction: 0, text: "starting the worker…" });
    const t0 = performance.now();
    try {
      const response = await runInWorker(
        {
          mode: "paper",
          presets: [`${fig}-flexible`, `${fig}-forgetful`],
          seeds: seeds[fig],
          raw: fig === "fig2",
        },
        {
          signal: controller.signal,
          onProgress: (done, total, backend) =>
            setProgress({
              fig,
              fraction: done / total,
              text: `step ${done} of ${total} (${backend}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
            }),
        },
      );
      if (response.mode !== "paper") throw new Error("unexpected response");
      setResults((r) => ({ ...r, [fig]: { response, seeds: seeds[fig] } }));
    } catch (err) {
      setError(
        controller.signal.aborted ? "Cancelled." : err instanceof Error ? err.message : String(err),
      );
    } finally {
      setProgress(null);
      abort.current = null;
    }
  }

  const fig8 = results.fig8;
  const fig2 = results.fig2;
  const busy = progress !== null;
  const seedInput = (fig: Fig, label: string) => (
    <label className="r-field" style={{ maxWidth: "14rem" }}>
      <span>{label}</span>
      <input
        type="number"
        min={1}
        max={50}
        value={seeds[fig]}
        data-testid={`seeds-${fig}`}
        onChange={(e) =>
          setSeeds((s) => ({ ...s, [fig]: Math.max(1, Math.min(50, Number(e.target.value) || 1)) }))
        }
      />
    </label>
  );
  return (
    <div className="r-stack">
      <section className="card r-stack">
        <h2 style={{ margin: 0 }}>Fig. 8B: loss right after a block switch</h2>
        <p className="muted" style={{ margin: 0 }}>
          30 blocks of 100 gradient steps (dt = 0.01), τ_w = 0.07, τ_c = 0.01; flexible = with gate
          regularisation, forgetful = without. Takes seconds per seed.
        </p>
        <div className="r-actions">
          {seedInput("fig8", "Seeds (paper: 10)")}
          <button
            className="button"
            type="button"
            disabled={busy}
            onClick={() => void run("fig8")}
            data-testid="run-fig8"
          >
            Run Fig. 8B
          </button>
        </div>
        {fig8 ? <Fig8Result result={fig8} /> : null}
      </section>
      <section className="card r-stack">
        <h2 style={{ margin: 0 }}>Fig. 2: learning to switch (A–F)</h2>
        <p className="muted" style={{ margin: 0 }}>
          20 blocks of 1000 Euler steps (dt = 0.001), τ_w = 1.3; flexible τ_c = 0.03 with
          regularisation, forgetful τ_c = τ_w without. 20 000 steps per seed, about 7× the work of
          Fig. 8 per seed (Fig. 8 took about 0.5 s per seed here), so the default is 5 seeds (the
          paper uses 10).
        </p>
        <div className="r-actions">
          {seedInput("fig2", "Seeds (paper: 10)")}
          <button
            className="button"
            type="button"
            disabled={busy}
            onClick={() => void run("fig2")}
            data-testid="run-fig2"
          >
            Run Fig. 2
          </button>
        </div>
        {fig2 ? <Fig2Result result={fig2} /> : null}
      </section>
      {progress ? (
        <div
          className="r-actions card"
          data-testid="paper-progress"
          style={{ position: "sticky", bottom: 0 }}
        >
          <strong>{progress.fig === "fig8" ? "Fig. 8B" : "Fig. 2"}</strong>
          <progress max={1} value={progress.fraction} style={{ width: "16rem" }} />
          <span className="muted">{progress.text}</span>
          <button
            className="button secondary"
            type="button"
            onClick={() => abort.current?.abort()}
            data-testid="cancel-paper"
          >
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="r-error-box" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Fig8Result({ result }: { result: Result }) {
  const [flexible, forgetful] = result.response.summaries;
  const fig8Series = [1, 2, 3, 4].map((k, i) => ({
    key: `sw${k}`,
    label: `after switch ${k}`,
    color: LEVEL_COLORS[i],
  }));
  return (
    <div className="r-stack" data-testid="fig8-result">
      <p className="muted" style={{ margin: 0 }}>
        {result.seeds} seeds · {(result.response.wallMs / 1000).toFixed(1)} s on{" "}
        {result.response.backend}. Mean over seeds.
      </p>
      <div className="r-two">
        <LinePanel
          title="Flexible model"
          rows={toFig8BRows(flexible)}
          xKey="step"
          xLabel="Gradient updates after the switch (j)"
          yLabel="Loss (lower = better)"
          series={fig8Series}
          digits={3}
          testId="fig8b-flexible"
        />
        <LinePanel
          title="Forgetful model"
          rows={toFig8BRows(forgetful)}
          xKey="step"
          xLabel="Gradient updates after the switch (j)"
          yLabel="Loss (lower = better)"
          series={fig8Series}
          digits={3}
          testId="fig8b-forgetful"
        />
      </div>
      <LinePanel
        title="Mean loss over the first 5 updates after each switch"
        rows={toPostSwitchRows({ flexible, forgetful })}
        xKey="switchIndex"
        xLabel="Switch number k"
        yLabel="Loss (lower = better)"
        digits={3}
        series={[
          { key: "flexible", label: "flexible", color: STREAM_COLORS.flexible },
          { key: "forgetful", label: "forgetful", color: STREAM_COLORS.forgetful },
        ]}
        testId="fig8-trend"
      />
      <BandsTable bands={computeFig8Bands(flexible, forgetful)} testId="fig8-bands" />
    </div>
  );
}

function Fig2Result({ result }: { result: Result }) {
  const [flexible, forgetful] = result.response.summaries;
  const raw = result.response.raw;
  const runs = { flexible, forgetful };
  const two = [
    { key: "flexible", label: "flexible", color: STREAM_COLORS.flexible },
    { key: "forgetful", label: "forgetful", color: STREAM_COLORS.forgetful },
  ];
  const lossRows = raw
    ? toDownsampledRows(
        Object.fromEntries(
          ["flexible", "forgetful"].map((k, p) => [
            k,
            raw.elements.flatMap((el, e) => (el.paramIndex === p ? [Array.from(raw.loss[e])] : [])),
          ]),
        ),
        1 / raw.schedule.stepsPerBlock,
      )
    : [];
  return (
    <div className="r-stack" data-testid="fig2-result">
      <p className="muted" style={{ margin: 0 }}>
        {result.seeds} seeds · {(result.response.wallMs / 1000).toFixed(1)} s on{" "}
        {result.response.backend}. Mean over seeds.
      </p>
      <div className="r-two">
        <LinePanel
          title="A. Task loss over training"
          rows={lossRows}
          xKey="t"
          xLabel="Training time (blocks)"
          yLabel="Loss"
          series={two.map((s) => ({ ...s, dots: false }))}
          integerX={false}
          digits={3}
          testId="fig2-loss"
        />
        <LinePanel
          title="F. Time to reach loss < 0.1 per block"
          rows={toFig2FRows(runs)}
          xKey="block"
          xLabel="Block"
          yLabel="Time to L < 0.1 (units of τ_w)"
          series={two}
          digits={2}
          testId="fig2-f"
        />
      </div>
      <LinePanel
        title="B. Gates at the end of each block (sorted so gate 1 follows teacher A)"
        rows={toGateRows(runs)}
        xKey="block"
        xLabel="Block"
        yLabel="Gate value c"
        series={[
          { key: "flexibleGate1", label: "flexible gate 1", color: STREAM_COLORS.flexible },
          {
            key: "flexibleGate2",
            label: "flexible gate 2",
            color: STREAM_COLORS.flexible,
            dashed: true,
          },
          { key: "forgetfulGate1", label: "forgetful gate 1", color: STREAM_COLORS.forgetful },
          {
            key: "forgetfulGate2",
            label: "forgetful gate 2",
            color: STREAM_COLORS.forgetful,
            dashed: true,
          },
        ]}
        testId="fig2-gates"
      />
      <p data-testid="fig2-alignment">
        C/E. Total student–teacher alignment at the end: flexible{" "}
        {flexible.totalAlignment?.mean.toFixed(3) ?? "–"}, forgetful{" "}
        {forgetful.totalAlignment?.mean.toFixed(3) ?? "–"} (1 = each path copies one teacher; ≈0.7 =
        an unspecialised average).
      </p>
      <BandsTable bands={computeFig2Bands(flexible, forgetful)} testId="fig2-bands" />
    </div>
  );
}
