// Study-level statistics on the dashboard (server-rendered): participants left out for data-quality
// flags (with reasons and a link that puts them back), random-effects BMS over the stored fits beside
// the summed BIC, and the group practice effect on the switch cost for participants and each model
// stream (docs/group-stats.md, docs/quality.md).
import Link from "next/link";

import type { GroupEstimate, GroupStats } from "@/lib/core/group-stats";

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "–");

function Effect({ g, digits, unit }: { g: GroupEstimate | null; digits: number; unit: string }) {
  if (!g) return <span className="muted">not estimable</span>;
  const verdict =
    g.ci[1] < 0 ? "falls with practice" : g.ci[0] > 0 ? "grows" : "no evidence of change";
  return (
    <>
      {f(g.mean, digits)} {unit} [{f(g.ci[0], digits)}, {f(g.ci[1], digits)}] · n = {g.n} ·{" "}
      <strong>{verdict}</strong>
    </>
  );
}

export function GroupStatsPanel({ stats, toggleHref }: { stats: GroupStats; toggleHref: string }) {
  const { bms } = stats;
  const streams = [
    ["Participants", stats.practice.human] as const,
    ...Object.entries(stats.practice.models).map(([k, v]) => [`${k} model`, v] as const),
  ];
  return (
    <section className="card" style={{ margin: "0 0 1rem" }} data-testid="group-stats">
      <h3 style={{ marginTop: 0 }}>Participants left out for data quality</h3>
      {stats.excluded.length === 0 ? (
        <p className="muted" data-testid="flagged-none">
          {stats.includeFlagged
            ? "Flagged participants are included in every study-level result on this page."
            : "No completed participant has a data-quality flag."}
        </p>
      ) : (
        <ul data-testid="flagged-list">
          {stats.excluded.map((e) => (
            <li key={e.runId}>
              Participant #{e.participantIndex}: {e.reasons.join(" ")}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href={toggleHref} data-testid="flagged-toggle">
          {stats.includeFlagged
            ? "Leave flagged participants out (default)"
            : "Include flagged participants"}
        </Link>{" "}
        <span className="muted">
          (applies to the Fig. 8 panels, costs and the statistics below; docs/quality.md)
        </span>
      </p>

      <h3>Which model describes the group? Random-effects model selection</h3>
      {bms ? (
        <>
          <table className="data" data-testid="bms-table">
            <thead>
              <tr>
                <th>model</th>
                <th className="r-num">Σ BIC</th>
                <th className="r-num">expected frequency</th>
                <th className="r-num">exceedance</th>
                <th className="r-num">protected exceedance</th>
              </tr>
            </thead>
            <tbody>
              {bms.models.map((m, k) => (
                <tr key={m}>
                  <td>{m}</td>
                  <td className="r-num">{f(bms.summedBic[k], 1)}</td>
                  <td className="r-num">{f(bms.expectedFrequency[k])}</td>
                  <td className="r-num">{f(bms.exceedance[k])}</td>
                  <td className="r-num">{f(bms.protectedExceedance[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {bms.participants} participants, log evidence −BIC/2; Bayesian omnibus risk {f(bms.bor)}{" "}
            (the probability that all models are equally frequent: read the protected exceedance).
            {stats.bmsMissingFits > 0
              ? ` ${stats.bmsMissingFits} included participant(s) without a fit of every model are left out.`
              : ""}
          </p>
        </>
      ) : (
        <p className="muted">No stored fits yet: fit the participants above first.</p>
      )}

      <h3>Does the switch cost fall with practice?</h3>
      <p className="muted">
        Per participant: slope of the post-switch cost (first {stats.options.window} trials after a
        switch minus the settled level) over switch number; the group estimate is the mean slope
        with a 95 % t interval (bootstrap interval in the API).
      </p>
      <table className="data" data-testid="practice-table">
        <thead>
          <tr>
            <th>stream</th>
            <th>error cost per switch</th>
            <th>RT cost per switch</th>
          </tr>
        </thead>
        <tbody>
          {streams.map(([label, g]) => (
            <tr key={label}>
              <td>{label}</td>
              <td>
                <Effect g={g.error} digits={4} unit="" />
              </td>
              <td>
                {label === "Participants" || g.rt ? (
                  <Effect g={g.rt} digits={1} unit="ms" />
                ) : (
                  <span className="muted">no RTs</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
