"use client";
// Paper reproduction in this browser: Fig. 2 and Fig. 8B of Sandbrink et al. (NeurIPS 2024) run
// in the model Web Worker (lib/model runInWorker) with progress and cancel; the numbers are shaped
// by lib/core/paper-view.ts and shown beside the acceptance bands of docs/science.md §7.
import { memo, startTransition, useRef, useState } from "react";

import {
  type Band,
  computeFig2Bands,
  computeFig8Bands,
  parseSeeds,
  toFig2FRows,
  toFig8BRows,
  toGateRows,
  toLossCurveRows,
  toPostSwitchRows,
} from "@/lib/core/paper-view";
import type { PaperResponse } from "@/lib/model/run";
import { runInWorker } from "@/lib/model/worker-client";

import { LinePanel, type PanelSeries, PrewarmCharts } from "../charts/line-panel";
import { ChartsOneAtATime } from "../charts/mount-queue";
import { DASHES, LEVEL_ORDER_NOTE, STREAM_COLORS, levelColors } from "../charts/palette";
import { extentOf, sharedDomain } from "../charts/scale";

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
  const [seedText, setSeedText] = useState<Record<Fig, string>>({ fig8: "10", fig2: "5" });
  const parsed = { fig8: parseSeeds(seedText.fig8), fig2: parseSeeds(seedText.fig2) };
  const [progress, setProgress] = useState<{ fig: Fig; fraction: number; text: string } | null>(
    null,
  );
  const [results, setResults] = useState<Partial<Record<Fig, Result>>>({});
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run(fig: Fig) {
    const p = parsed[fig];
    if (!("seeds" in p)) return;
    const seeds = p.seeds;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ fig, fraction: 0, text: "starting the worker…" });
    const t0 = performance.now();
    let lastProgress = -Infinity;
    try {
      const response = await runInWorker(
        {
          mode: "paper",
          presets: [`${fig}-flexible`, `${fig}-forgetful`],
          seeds,
        },
        {
          signal: controller.signal,
          // At most ~8 progress renders a second: the main thread stays free while the worker runs.
          onProgress: (done, total, backend) => {
            const now = performance.now();
            if (done < total && now - lastProgress < 125) return;
            lastProgress = now;
            setProgress({
              fig,
              fraction: done / total,
              text: `step ${done} of ${total} (${backend}, ${((now - t0) / 1000).toFixed(0)} s)`,
            });
          },
        },
      );
      if (response.mode !== "paper") throw new Error("unexpected response");
      // A transition renders the new charts in slices, yielding frames to the browser.
      startTransition(() => setResults((r) => ({ ...r, [fig]: { response, seeds } })));
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
  const seedInput = (fig: Fig, label: string) => {
    const p = parsed[fig];
    return (
      <label className="r-field" style={{ maxWidth: "14rem" }}>
        <span>{label}</span>
        <input
          type="text"
          inputMode="numeric"
          value={seedText[fig]}
          data-testid={`seeds-${fig}`}
          aria-invalid={"error" in p}
          aria-describedby={`seeds-${fig}-error`}
          onChange={(e) => setSeedText((s) => ({ ...s, [fig]: e.target.value }))}
        />
        {"error" in p ? (
          <span className="r-field-error" id={`seeds-${fig}-error`} role="alert">
            {p.error}
          </span>
        ) : null}
      </label>
    );
  };
  return (
    <div className="r-stack">
      <PrewarmCharts />
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
            disabled={busy || !("seeds" in parsed.fig8)}
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
            disabled={busy || !("seeds" in parsed.fig2)}
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

const TWO: PanelSeries[] = (["flexible", "forgetful"] as const).map((key) => ({
  key,
  label: `${key} model`,
  color: STREAM_COLORS[key],
  band: [`${key}Lo`, `${key}Hi`],
}));

// memo: a progress tick of the other figure does not redraw these charts.
const Fig8Result = memo(function Fig8Result({ result }: { result: Result }) {
  const [flexible, forgetful] = result.response.summaries;
  const n = result.seeds;
  const colors = levelColors(flexible.fig8B.mean.length);
  const fig8Series: PanelSeries[] = flexible.fig8B.mean.map((_, i) => ({
    key: `sw${i + 1}`,
    label: `after switch ${i + 1}`,
    color: colors[i],
    band: [`sw${i + 1}Lo`, `sw${i + 1}Hi`],
  }));
  const rows = { flexible: toFig8BRows(flexible, n), forgetful: toFig8BRows(forgetful, n) };
  const keys = fig8Series.flatMap((s) => [s.key, ...s.band!]);
  const y = sharedDomain([extentOf(rows.flexible, keys), extentOf(rows.forgetful, keys)], true);
  const seNote = n > 1 ? `± 1 SE over ${n} model seeds` : undefined;
  const common = {
    xKey: "step",
    xLabel: "Gradient updates after the switch (j)",
    yLabel: "Loss (lower = better)",
    series: fig8Series,
    digits: 3,
    yDomain: y,
    legendTitle: `Switch (${LEVEL_ORDER_NOTE})`,
    bandNote: seNote,
  };
  const post = toPostSwitchRows({ flexible, forgetful }, n);
  return (
    <ChartsOneAtATime>
      <div className="r-stack" data-testid="fig8-result">
        <p className="muted" style={{ margin: 0 }}>
          {n} seed{n === 1 ? "" : "s"} · {(result.response.wallMs / 1000).toFixed(1)} s on{" "}
          {result.response.backend}. Mean over seeds{n > 1 ? ", shaded ± 1 SE" : ""}.
        </p>
        <div className="r-two">
          <LinePanel
            title="Flexible model"
            rows={rows.flexible}
            testId="fig8b-flexible"
            {...common}
          />
          <LinePanel
            title="Forgetful model"
            rows={rows.forgetful}
            testId="fig8b-forgetful"
            {...common}
          />
        </div>
        <LinePanel
          title={`Mean loss over the first 5 updates after each switch (${flexible.blocks} blocks, ${post.length} switches)`}
          rows={post}
          xKey="switchIndex"
          xLabel="Switch number k"
          yLabel="Loss (lower = better)"
          digits={3}
          yFromZero
          series={TWO}
          bandNote={seNote}
          testId="fig8-trend"
        />
        <BandsTable bands={computeFig8Bands(flexible, forgetful)} testId="fig8-bands" />
      </div>
    </ChartsOneAtATime>
  );
});

const Fig2Result = memo(function Fig2Result({ result }: { result: Result }) {
  const [flexible, forgetful] = result.response.summaries;
  const runs = { flexible, forgetful };
  const n = result.seeds;
  const gateSeries: PanelSeries[] = (["flexible", "forgetful"] as const).flatMap((key) =>
    [1, 2].map((g) => ({
      key: `${key}Gate${g}`,
      label: `${key} gate ${g}`,
      color: STREAM_COLORS[key],
      dash: DASHES[g - 1],
    })),
  );
  return (
    <ChartsOneAtATime>
      <div className="r-stack" data-testid="fig2-result">
        <p className="muted" style={{ margin: 0 }}>
          {n} seed{n === 1 ? "" : "s"} · {(result.response.wallMs / 1000).toFixed(1)} s on{" "}
          {result.response.backend}. Mean over seeds; {flexible.blocks} blocks.
        </p>
        <div className="r-two">
          <LinePanel
            title="A. Task loss over training"
            rows={toLossCurveRows(runs)}
            xKey="t"
            xLabel="Training time (blocks)"
            yLabel="Loss"
            series={TWO.map(({ band: _band, ...s }) => ({ ...s, dots: false }))}
            integerX={false}
            yFromZero
            digits={3}
            testId="fig2-loss"
          />
          <LinePanel
            title="F. Time to reach loss < 0.1 per block"
            rows={toFig2FRows(runs)}
            xKey="block"
            xLabel="Block"
            yLabel="Time to L < 0.1 (τ_w)"
            series={TWO}
            yFromZero
            digits={2}
            bandNote={n > 1 ? "the paper's band, SD over seeds / n" : undefined}
            testId="fig2-f"
          />
        </div>
        <LinePanel
          title="B. Gates at the last step of each block (sorted so gate 1 follows teacher A)"
          rows={toGateRows(runs)}
          xKey="block"
          xLabel="Block"
          yLabel="Gate value c"
          series={gateSeries}
          testId="fig2-gates"
        />
        <p data-testid="fig2-alignment">
          C/E. Total student–teacher alignment at the end: flexible{" "}
          {flexible.totalAlignment?.mean.toFixed(3) ?? "–"}, forgetful{" "}
          {forgetful.totalAlignment?.mean.toFixed(3) ?? "–"} (1 = each path copies one teacher; ≈0.7
          = an unspecialised average).
        </p>
        <BandsTable bands={computeFig2Bands(flexible, forgetful)} testId="fig2-bands" />
      </div>
    </ChartsOneAtATime>
  );
});
