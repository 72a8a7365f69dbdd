"use client";
// Observed vs fitted recovery curves of one participant (the Fig. 8 view): error rate at positions
// 1…J after a switch, one panel line set per practice level. Feed it `curves` from
// GET /api/studies/<id>/fits?runId=<run> (lib/server/fits.ts fetchFitCurves): plain arrays, no stats here.
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

export type FitCurvePointProps = {
  level: number;
  position: number;
  observed: number | null;
  predicted: Record<string, number | null>;
  n: number;
};

const MODEL_COLOURS: Record<string, string> = { flexible: "#1f77b4", forgetful: "#d62728" };
const LEVEL_DASH = ["", "5 3", "2 2", "8 2"];

export function FitRecoveryChart({
  curves,
  height = 260,
}: {
  curves: FitCurvePointProps[];
  height?: number;
}) {
  const levels = [...new Set(curves.map((p) => p.level))].sort((a, b) => a - b);
  const models = [...new Set(curves.flatMap((p) => Object.keys(p.predicted)))].sort();
  const rows = [...new Set(curves.map((p) => p.position))]
    .sort((a, b) => a - b)
    .map((position) => {
      const row: Record<string, number | null> = { position };
      for (const p of curves.filter((c) => c.position === position)) {
        row[`observed-${p.level}`] = p.observed;
        for (const m of models) row[`${m}-${p.level}`] = p.predicted[m] ?? null;
      }
      return row;
    });
  const levelName = (l: number) =>
    levels.length === 1
      ? ""
      : l === 0
        ? " (early switches)"
        : l === levels.length - 1
          ? " (late switches)"
          : ` (level ${l + 1})`;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="position"
          label={{ value: "trial after switch", position: "insideBottom", offset: -8 }}
        />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <Tooltip formatter={(v) => (typeof v === "number" ? `${(v * 100).toFixed(1)}%` : "—")} />
        <Legend verticalAlign="top" />
        {levels.map((l) => (
          <Line
            key={`o${l}`}
            dataKey={`observed-${l}`}
            name={`observed${levelName(l)}`}
            stroke="#222"
            strokeDasharray={LEVEL_DASH[l % 4]}
            dot
            connectNulls
          />
        ))}
        {levels.flatMap((l) =>
          models.map((m) => (
            <Line
              key={`${m}${l}`}
              dataKey={`${m}-${l}`}
              name={`${m} fit${levelName(l)}`}
              stroke={MODEL_COLOURS[m] ?? "#888"}
              strokeDasharray={LEVEL_DASH[l % 4]}
              dot={false}
              connectNulls
            />
          )),
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
