"use client";
// Posterior predictive check of one participant (docs/fitting.md "Goodness of fit"): error rate and
// mean RT at positions 1…6 after a switch, per practice level (early / middle / late switches),
// observed vs the models chosen (default: the best NTA variant and the best baseline); then
// accuracy and RT quantiles of every model. Plain recharts, data from GET …/fits?runId= (ppc).
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { CATEGORY_COLORS, DASHES, STREAM_COLORS, colorFor } from "@/components/charts/palette";

import { ALL_MODELS, MODEL_LABELS, type ModelName, type PpcSummary, fmt3 } from "./format";

const LEVEL_NAMES = ["early", "middle", "late"];
const levelName = (l: number, n: number) =>
  n === 3 ? LEVEL_NAMES[l] : n === 1 ? "" : `level ${l + 1}`;

function CurveChart({
  ppc,
  models,
  metric,
}: {
  ppc: PpcSummary;
  models: ModelName[];
  metric: "error" | "rt";
}) {
  const pts = ppc.curves;
  const levels = [...new Set(pts.map((p) => p.level))].sort((a, b) => a - b);
  const rows = [...new Set(pts.map((p) => p.position))]
    .sort((a, b) => a - b)
    .map((position) => {
      const row: Record<string, number | null> = { position };
      for (const p of pts.filter((c) => c.position === position)) {
        row[`observed-${p.level}`] = metric === "error" ? p.observed : (p.observedRt ?? null);
        for (const m of models)
          row[`${m}-${p.level}`] =
            metric === "error" ? (p.predicted[m] ?? null) : (p.predictedRt?.[m] ?? null);
      }
      return row;
    });
  const color = (m: string) =>
    m === "observed"
      ? STREAM_COLORS.human
      : m in STREAM_COLORS
        ? colorFor(m)
        : CATEGORY_COLORS[ALL_MODELS.indexOf(m as ModelName) % CATEGORY_COLORS.length];
  const fmt = (v: number) => (metric === "error" ? `${Math.round(v * 100)}%` : `${fmt3(v)} s`);
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="position"
          label={{ value: "trial after switch", position: "insideBottom", offset: -8 }}
        />
        <YAxis domain={metric === "error" ? [0, 1] : ["auto", "auto"]} tickFormatter={fmt} />
        <Tooltip formatter={(v) => (typeof v === "number" ? fmt(v) : "—")} />
        <Legend verticalAlign="top" />
        {["observed", ...models].flatMap((m) =>
          levels.map((l) => (
            <Line
              key={`${m}-${l}`}
              dataKey={`${m}-${l}`}
              name={`${m === "observed" ? "observed" : MODEL_LABELS[m as ModelName]} ${levelName(l, levels.length)}`}
              stroke={color(m)}
              strokeWidth={m === "observed" ? 2 : 1.5}
              strokeDasharray={DASHES[l % DASHES.length]}
              dot={m === "observed"}
              connectNulls
              isAnimationActive={false}
            />
          )),
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function PpcView({ ppc, models }: { ppc: PpcSummary; models: ModelName[] }) {
  const hasRt = ppc.curves.some((p) => p.observedRt !== undefined && p.observedRt !== null);
  const q = (xs: number[] | null) => (xs ? xs.map((x) => fmt3(x)).join(" / ") : "–");
  return (
    <div className="r-stack" data-testid="fit-ppc">
      <p className="muted" style={{ margin: 0, fontSize: "0.85rem" }}>
        Line style = practice level (solid early, dashed middle, dotted late switches); colours:
        observed black, the models as labelled.
      </p>
      <h4 style={{ margin: 0 }}>Error after a switch: observed vs predicted</h4>
      <div data-testid="fit-curves">
        <CurveChart ppc={ppc} models={models} metric="error" />
      </div>
      {hasRt ? (
        <>
          <h4 style={{ margin: 0 }}>Mean response time after a switch</h4>
          <CurveChart ppc={ppc} models={models} metric="rt" />
        </>
      ) : null}
      <table className="data" data-testid="fit-ppc-table" style={{ maxWidth: "48rem" }}>
        <thead>
          <tr>
            <th></th>
            <th className="r-num">accuracy</th>
            <th className="r-num">RT quantiles .1/.3/.5/.7/.9 (s)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>observed</td>
            <td className="r-num">{fmt3(ppc.observed.accuracy)}</td>
            <td className="r-num">{q(ppc.observed.rtQuantiles)}</td>
          </tr>
          {ALL_MODELS.filter((m) => ppc.predicted[m]).map((m) => (
            <tr key={m}>
              <td>{MODEL_LABELS[m]}</td>
              <td className="r-num">{fmt3(ppc.predicted[m]!.accuracy)}</td>
              <td className="r-num">{q(ppc.predicted[m]!.rtQuantiles)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
