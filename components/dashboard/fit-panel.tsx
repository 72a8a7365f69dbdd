"use client";
// Model fits (docs/fitting.md): queue a "fit" job (POST /api/studies/<id>/fits {runId?, link}),
// follow the newest fit job with a progress bar (polling GET …/fits every 2 s while it is queued or
// running), and show the stored fits. Study mode (no runId): one row per fitted participant and the
// study's BIC comparison. Participant mode (runId): both models' parameters with 95 % intervals,
// ΔBIC and the observed vs fitted recovery curves (GET …/fits?runId=).
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";

import { type FitCurvePointProps, FitRecoveryChart } from "../charts/fit-recovery-chart";

type ModelName = "flexible" | "forgetful";
type LinkName = "ddm" | "choice";
type JobStatus = "queued" | "running" | "done" | "failed";

export type FitRowJson = {
  id: string;
  runId: string | null;
  model: string;
  params: Record<string, unknown>;
  uncertainty: {
    hessianPD?: boolean;
    ci95?: Record<string, [number, number]> | null;
    atBound?: string[];
  } | null;
  logLik: number;
  bic: number;
  nTrials: number;
  nParams: number;
  createdAt: string;
};
type FitJobJson = {
  id: string;
  runId: string | null;
  status: JobStatus;
  progress: number;
  message: string | null;
  error: string | null;
  createdAt: string;
};
type ComparisonJson = {
  deltaBic: number;
  preferred: ModelName;
  strength: "weak" | "positive" | "strong";
  participants: number;
  bic: Record<ModelName, number>;
  nTrials: number;
  preferredCount: Record<ModelName, number>;
};
type FitsResponse = {
  fits: FitRowJson[];
  jobs: FitJobJson[];
  comparison: ComparisonJson | null;
  curves?: FitCurvePointProps[] | null;
};

/** A participant of the study, for labelling rows (from the dashboard's run list). */
export type FitPanelRun = { id: string; participantIndex: number; isPilot: boolean };

const MODELS: ModelName[] = ["flexible", "forgetful"];
const LINKS: { value: LinkName; label: string }[] = [
  { value: "ddm", label: "response times + keys (DDM)" },
  { value: "choice", label: "keys only" },
];
const LINK_TEXT: Record<string, string> = { ddm: "RT + keys", choice: "keys only" };

/** Parameters in display order: symbol and meaning in words. */
const PARAMS: { name: string; symbol: string; words: string }[] = [
  { name: "tauW", symbol: "τ_w", words: "weights timescale" },
  { name: "tauC", symbol: "τ_c", words: "gates timescale" },
  { name: "tau", symbol: "τ", words: "timescale (τ_w = τ_c)" },
  { name: "lambda", symbol: "λ", words: "regulariser" },
  { name: "beta", symbol: "β", words: "inverse temperature" },
  { name: "lapse", symbol: "lapse", words: "share of random key presses" },
  { name: "bound", symbol: "A", words: "DDM boundary separation" },
  { name: "ndt", symbol: "T_er", words: "non-decision time (s)" },
];

/** 3 significant digits, without exponents for ordinary magnitudes. */
export function fmt3(v: unknown): string {
  if (typeof v !== "number" || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(2);
  if (a >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}
const fmtBic = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(1) : "–");
const signed = (v: number) => {
  const t = v.toFixed(1);
  return t === "-0.0" || t === "0.0" ? "0.0" : `${v > 0 ? "+" : ""}${t}`;
};
const pct = (p: number) => `${Math.round(Math.max(0, Math.min(1, p)) * 100)}%`;

function paramsOf(fit: FitRowJson | undefined) {
  if (!fit) return [];
  return PARAMS.filter((p) => typeof fit.params[p.name] === "number").map((p) => ({
    ...p,
    value: fit.params[p.name] as number,
    // an interval around an estimate on the prior box's edge is not meaningful: show none
    ci: fit.uncertainty?.atBound?.includes(p.name)
      ? null
      : (fit.uncertainty?.ci95?.[p.name] ?? null),
    atBound: fit.uncertainty?.atBound?.includes(p.name) ?? false,
  }));
}

/** ΔBIC = BIC_forgetful − BIC_flexible (> 0 favours flexible; |ΔBIC| > 6 strong), as lib/model/fit/compare.ts. */
function compare(flexible?: FitRowJson, forgetful?: FitRowJson) {
  if (!flexible || !forgetful) return null;
  const deltaBic = forgetful.bic - flexible.bic;
  const a = Math.abs(deltaBic);
  return {
    deltaBic,
    preferred: (deltaBic > 0 ? "flexible" : "forgetful") as ModelName,
    strength: a > 6 ? "strong" : a > 2 ? "positive" : "weak",
  };
}

/** Why a request failed, as text: the API's {error} when there is one. */
async function errorText(res: Response, what: string): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === "string" && body.error) return `${what}: ${body.error}`;
  } catch {
    // not JSON
  }
  return `${what} (HTTP ${res.status})`;
}

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
  const [queued, setQueued] = useState<FitJobJson | null>(null);
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
      const body = (await res.json()) as FitsResponse;
      if (mine !== seq.current) return;
      setData(body);
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
      const body = (await res.json()) as {
        job: { id: string; status: JobStatus; runId: string | null };
      };
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

  const byRun = new Map<string, Partial<Record<ModelName, FitRowJson>>>();
  for (const f of data?.fits ?? [])
    if (f.runId && (f.model === "flexible" || f.model === "forgetful"))
      byRun.set(f.runId, { ...byRun.get(f.runId), [f.model]: f });

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
        <RunFits pair={byRun.get(runId)} curves={data.curves ?? null} />
      ) : null}
      {data !== null && !runId ? (
        <StudyFits studyId={studyId} byRun={byRun} runs={runs} comparison={data.comparison} />
      ) : null}
    </div>
  );
}

function JobProgress({
  job,
  runs,
  studyMode,
}: {
  job: FitJobJson;
  runs: FitPanelRun[];
  studyMode: boolean;
}) {
  const who = !studyMode
    ? ""
    : job.runId
      ? `Participant #${runs.find((r) => r.id === job.runId)?.participantIndex ?? "?"}: `
      : "All completed participants: ";
  const state =
    job.status === "queued"
      ? job.error
        ? "retrying after an error"
        : "waiting for the job worker"
      : job.status === "running"
        ? (job.message ?? "running")
        : job.status === "done"
          ? "done"
          : "failed";
  return (
    <div className="r-stack" style={{ gap: "0.4rem" }}>
      <span data-testid="fit-progress" data-status={job.status}>
        <progress
          max={1}
          value={job.status === "done" ? 1 : job.progress}
          style={{ width: "14rem", verticalAlign: "middle" }}
        />{" "}
        {pct(job.status === "done" ? 1 : job.progress)} ·{" "}
        <span className="muted">
          {who}
          {state}
        </span>
      </span>
      {job.error ? (
        <span className="r-error-box" data-testid="fit-job-error">
          {job.status === "failed" ? "The fit failed: " : "Last attempt failed: "}
          {job.error}
        </span>
      ) : null}
    </div>
  );
}

function ParamCell({ fit }: { fit: FitRowJson | undefined }) {
  const ps = paramsOf(fit);
  if (ps.length === 0) return <span className="muted">–</span>;
  return (
    <span
      style={{
        display: "grid",
        gridTemplateColumns: "max-content max-content",
        gap: "0 0.5rem",
        fontSize: "0.85rem",
        fontVariantNumeric: "tabular-nums",
      }}
    >
      {ps.map((p) => (
        <span key={p.name} style={{ display: "contents" }}>
          <span title={p.words}>{p.symbol}</span>
          <span>
            {fmt3(p.value)}
            {p.ci ? (
              <span className="muted">
                {" "}
                [{fmt3(p.ci[0])}, {fmt3(p.ci[1])}]
              </span>
            ) : null}
            {p.atBound ? (
              <span className="muted" title="estimate on the edge of the prior box">
                {" "}
                (bound)
              </span>
            ) : null}
          </span>
        </span>
      ))}
    </span>
  );
}

function StudyFits({
  studyId,
  byRun,
  runs,
  comparison,
}: {
  studyId: string;
  byRun: Map<string, Partial<Record<ModelName, FitRowJson>>>;
  runs: FitPanelRun[];
  comparison: ComparisonJson | null;
}) {
  if (byRun.size === 0)
    return (
      <p className="muted" data-testid="fit-empty">
        No participant has been fitted yet.
      </p>
    );
  const index = new Map(runs.map((r) => [r.id, r]));
  const rows = [...byRun.entries()].sort(
    ([a], [b]) =>
      (index.get(a)?.participantIndex ?? Infinity) - (index.get(b)?.participantIndex ?? Infinity),
  );
  return (
    <>
      {comparison ? (
        <p style={{ margin: 0 }} data-testid="fit-comparison">
          <strong>{comparison.participants}</strong> participant
          {comparison.participants === 1 ? "" : "s"} · Σ BIC flexible{" "}
          <strong>{fmtBic(comparison.bic.flexible)}</strong>, forgetful{" "}
          <strong>{fmtBic(comparison.bic.forgetful)}</strong> · ΔBIC{" "}
          <strong>{signed(comparison.deltaBic)}</strong> → <strong>{comparison.preferred}</strong> (
          {comparison.strength}) · prefer flexible:{" "}
          <strong>{comparison.preferredCount.flexible}</strong>, forgetful:{" "}
          <strong>{comparison.preferredCount.forgetful}</strong>
        </p>
      ) : null}
      <table className="data" data-testid="fit-table">
        <thead>
          <tr>
            <th>Participant</th>
            <th>Data</th>
            <th>Flexible θ [95% CI]</th>
            <th>Forgetful θ [95% CI]</th>
            <th className="r-num">BIC flexible</th>
            <th className="r-num">BIC forgetful</th>
            <th className="r-num">ΔBIC</th>
            <th>Preferred</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, pair]) => {
            const run = index.get(id);
            const c = compare(pair.flexible, pair.forgetful);
            const linkName = String((pair.flexible ?? pair.forgetful)?.params.link ?? "choice");
            return (
              <tr key={id} data-testid={`fit-row-${id}`} style={{ verticalAlign: "top" }}>
                <td style={{ whiteSpace: "nowrap" }}>
                  <Link href={`/studies/${studyId}/runs/${id}`}>
                    {run ? `Participant #${run.participantIndex}` : `Run ${id.slice(0, 8)}…`}
                  </Link>
                  {run?.isPilot ? (
                    <>
                      {" "}
                      <span className="r-badge r-pilot">pilot</span>
                    </>
                  ) : null}
                </td>
                <td>{LINK_TEXT[linkName] ?? linkName}</td>
                <td>
                  <ParamCell fit={pair.flexible} />
                </td>
                <td>
                  <ParamCell fit={pair.forgetful} />
                </td>
                <td className="r-num">{fmtBic(pair.flexible?.bic)}</td>
                <td className="r-num">{fmtBic(pair.forgetful?.bic)}</td>
                <td className="r-num">{c ? signed(c.deltaBic) : "–"}</td>
                <td>{c ? `${c.preferred} (${c.strength})` : "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ParamLegend />
    </>
  );
}

function ParamLegend() {
  return (
    <p className="muted" style={{ margin: 0, fontSize: "0.85rem" }}>
      {PARAMS.map((p) => `${p.symbol} ${p.words}`).join(" · ")}. ΔBIC = BIC forgetful − BIC
      flexible: &gt; 0 favours the flexible model, |ΔBIC| &gt; 6 is strong. Intervals are 95% (delta
      method; absent when the likelihood&apos;s Hessian is not positive definite);
      &quot;(bound)&quot; marks an estimate on the edge of the prior box (no interval shown).
    </p>
  );
}

function RunFits({
  pair,
  curves,
}: {
  pair: Partial<Record<ModelName, FitRowJson>> | undefined;
  curves: FitCurvePointProps[] | null;
}) {
  if (!pair || (!pair.flexible && !pair.forgetful))
    return (
      <p className="muted" data-testid="fit-empty">
        This participant has not been fitted yet.
      </p>
    );
  const c = compare(pair.flexible, pair.forgetful);
  const linkName = String((pair.flexible ?? pair.forgetful)?.params.link ?? "choice");
  const ps = Object.fromEntries(
    MODELS.map((m) => [m, new Map(paramsOf(pair[m]).map((p) => [p.name, p]))]),
  ) as Record<ModelName, Map<string, ReturnType<typeof paramsOf>[number]>>;
  const shown = PARAMS.filter((p) => MODELS.some((m) => ps[m].has(p.name)));
  const cell = (m: ModelName, name: string) => {
    const p = ps[m].get(name);
    if (!p) return <span className="muted">–</span>;
    return (
      <>
        {fmt3(p.value)}
        {p.ci ? (
          <span className="muted">
            {" "}
            [{fmt3(p.ci[0])}, {fmt3(p.ci[1])}]
          </span>
        ) : null}
        {p.atBound ? (
          <span className="muted" title="estimate on the edge of the prior box">
            {" "}
            (bound)
          </span>
        ) : null}
      </>
    );
  };
  const noCi = MODELS.filter((m) => pair[m] && !pair[m]!.uncertainty?.ci95);
  return (
    <>
      <p style={{ margin: 0 }} data-testid="fit-summary">
        Data fitted: <strong>{LINK_TEXT[linkName] ?? linkName}</strong>
        {c ? (
          <>
            {" "}
            · ΔBIC = BIC forgetful − BIC flexible = <strong>{signed(c.deltaBic)}</strong> →
            preferred: <strong data-testid="fit-preferred">{c.preferred}</strong> ({c.strength})
          </>
        ) : null}
      </p>
      <table className="data" data-testid="fit-params" style={{ maxWidth: "48rem" }}>
        <thead>
          <tr>
            <th>Parameter</th>
            <th className="r-num">Flexible [95% CI]</th>
            <th className="r-num">Forgetful [95% CI]</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.name}>
              <td>
                {p.symbol} <span className="muted">{p.words}</span>
              </td>
              <td className="r-num">{cell("flexible", p.name)}</td>
              <td className="r-num">{cell("forgetful", p.name)}</td>
            </tr>
          ))}
          {(
            [
              ["log-likelihood", (f: FitRowJson) => fmt3(f.logLik)],
              ["free parameters", (f: FitRowJson) => String(f.nParams)],
              ["trials used", (f: FitRowJson) => String(f.nTrials)],
              ["BIC", (f: FitRowJson) => fmtBic(f.bic)],
            ] as const
          ).map(([label, get]) => (
            <tr key={label} data-testid={label === "BIC" ? "fit-bic-row" : undefined}>
              <td>{label}</td>
              {MODELS.map((m) => (
                <td key={m} className="r-num">
                  {pair[m] ? get(pair[m]!) : "–"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {noCi.length ? (
        <p className="muted" style={{ margin: 0 }}>
          No intervals for the {noCi.join(" and ")} fit: the likelihood&apos;s Hessian was not
          positive definite (too few trials or a flat direction).
        </p>
      ) : null}
      <h3 style={{ margin: "0.5rem 0 0" }}>Error after a switch: observed vs fitted</h3>
      {curves && curves.length ? (
        <div data-testid="fit-curves">
          <FitRecoveryChart curves={curves} />
        </div>
      ) : (
        <p className="muted" data-testid="fit-curves-empty">
          No switch trials with a response to compare.
        </p>
      )}
    </>
  );
}
