"use client";
// A recharts line chart fed plain rows (shaped in lib/core/recovery.ts): labelled axes with units,
// one line per series, optional shaded block spans and an optional reversed y axis. No statistics.
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export type PanelSeries = {
  key: string;
  label: string;
  color?: string;
  dashed?: boolean;
  dots?: boolean;
};
export type ShadedSpan = { from: number; to: number; label?: string; shade: boolean };

/** Viridis-like colours for practice levels (early = dark purple, late = green/yellow). */
export const LEVEL_COLORS = ["#440154", "#31688e", "#21918c", "#35b779", "#90d743", "#b5a300"];

export type LinePanelProps = {
  title?: string;
  rows: Array<Record<string, number | null>>;
  xKey: string;
  xLabel: string;
  yLabel: string;
  series: PanelSeries[];
  yDomain?: [number | "auto" | "dataMin" | "dataMax", number | "auto" | "dataMin" | "dataMax"];
  /** Reverse the y axis (Fig. 8 convention: better = higher). Say so in yLabel. */
  reversed?: boolean;
  spans?: ShadedSpan[];
  height?: number;
  syncId?: string;
  integerX?: boolean;
  testId?: string;
  emptyText?: string;
  digits?: number;
};

const fmt = (digits: number) => (v: unknown) => (typeof v === "number" ? v.toFixed(digits) : "–");

export function LinePanel({
  title,
  rows,
  xKey,
  xLabel,
  yLabel,
  series,
  yDomain = ["auto", "auto"],
  reversed = false,
  spans = [],
  height = 260,
  syncId,
  integerX = true,
  testId,
  emptyText = "No data yet.",
  digits = 2,
}: LinePanelProps) {
  const hasData = rows.some((r) => series.some((s) => typeof r[s.key] === "number"));
  return (
    <figure className="chart-panel" data-testid={testId} style={{ margin: 0 }}>
      {title ? <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption> : null}
      {!hasData ? (
        <div
          className="muted"
          style={{
            height,
            display: "grid",
            placeItems: "center",
            border: "1px dashed var(--line)",
            borderRadius: 8,
          }}
        >
          {emptyText}
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <LineChart
            data={rows}
            syncId={syncId}
            margin={{ top: 8, right: 16, bottom: 28, left: 12 }}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" />
            {spans
              .filter((s) => s.shade)
              .map((s) => (
                <ReferenceArea
                  key={`${s.from}-${s.to}`}
                  x1={s.from - 0.5}
                  x2={s.to + 0.5}
                  fill="#8a8a8a"
                  fillOpacity={0.12}
                  ifOverflow="extendDomain"
                />
              ))}
            <XAxis
              dataKey={xKey}
              type="number"
              domain={["dataMin", "dataMax"]}
              allowDecimals={!integerX}
              label={{ value: xLabel, position: "insideBottom", offset: -16 }}
              tickCount={Math.min(12, rows.length)}
            />
            <YAxis
              reversed={reversed}
              domain={yDomain}
              width={64}
              tickFormatter={fmt(digits > 1 ? 2 : digits)}
              label={{
                value: yLabel,
                angle: -90,
                position: "insideLeft",
                offset: 0,
                style: { textAnchor: "middle" },
              }}
            />
            <Tooltip formatter={fmt(digits)} labelFormatter={(v) => `${xLabel}: ${v}`} />
            <Legend verticalAlign="top" height={28} />
            {series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                type="linear"
                isAnimationActive={false}
                connectNulls
                stroke={s.color ?? LEVEL_COLORS[i % LEVEL_COLORS.length]}
                strokeDasharray={s.dashed ? "5 4" : undefined}
                dot={s.dots ?? rows.length <= 40}
                strokeWidth={2}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
