// One fitted parameter with its 95 % interval, and the compact list of a fit's parameters.
import type { FitRow } from "@/lib/core/api-responses";

import { PARAMS, type ShownParam, fmt3, paramsOf } from "./format";

export function ParamValue({ p }: { p: ShownParam }) {
  return (
    <>
      {fmt3(p.value)}
      {p.ci ? (
        <span
          className="muted"
          title={p.method === "profile" ? "profile-likelihood interval" : "Hessian interval"}
        >
          {" "}
          [{fmt3(p.ci[0])}, {fmt3(p.ci[1])}]
        </span>
      ) : null}
      {p.nearBound ? (
        <span className="muted" title="the interval reaches the edge of the prior box">
          {" "}
          (at bound)
        </span>
      ) : null}
      {p.group !== null ? (
        <span
          data-testid={`fit-group-${p.name}`}
          title="group-informed estimate: this participant's likelihood × the study's population prior (empirical Bayes)"
        >
          {" "}
          · group {fmt3(p.group)}
        </span>
      ) : null}
    </>
  );
}

export function ParamList({ fit, only }: { fit: FitRow | undefined; only?: string[] }) {
  const ps = paramsOf(fit).filter((p) => !only || only.includes(p.name));
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
            <ParamValue p={p} />
          </span>
        </span>
      ))}
    </span>
  );
}

export function ParamLegend() {
  return (
    <p className="muted" style={{ margin: 0, fontSize: "0.85rem" }}>
      {PARAMS.map((p) => `${p.symbol} ${p.words}`).join(" · ")}. Intervals are 95 %: profile
      likelihood for τ_c/τ_w, λ, κ, β, τ and γ, the Hessian for the rest, both clipped to the prior
      box; &quot;(at bound)&quot; marks an interval that reaches the box edge (the data do not bound
      it there). &quot;group&quot;: the group-informed estimate of a study fit (empirical Bayes over
      the study&apos;s participants not at chance) — the better point estimate where one
      participant&apos;s data leave a parameter weakly identified (τ_c/τ_w above all); the interval
      is the participant&apos;s own.
    </p>
  );
}
