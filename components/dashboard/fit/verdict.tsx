// A participant's verdict with its flags (docs/fitting.md "Verdict"): flexible/forgetful with its
// strength, or "misfit" / "at chance" with the reason. The comparison comes from the server.
import { MODEL_LABELS, type ModelComparison, type ModelName, signed } from "./format";

export function Verdict({ c }: { c: ModelComparison | null | undefined }) {
  if (!c) return <span className="muted">–</span>;
  return (
    <span data-testid="fit-verdict" data-verdict={c.verdict}>
      <strong>{c.preferred}</strong> ({c.strength})
      {c.atChance ? (
        <>
          {" "}
          <span className="r-badge" data-testid="fit-flag-chance" title={c.chanceReason ?? ""}>
            at chance
          </span>
        </>
      ) : null}
      {c.misfit ? (
        <>
          {" "}
          <span className="r-badge" data-testid="fit-flag-misfit">
            NTA misfit
          </span>
        </>
      ) : null}
    </span>
  );
}

/** The sentence under a participant's verdict: what the flags mean for it. */
export function VerdictText({ c }: { c: ModelComparison }) {
  const best = (m: ModelName | null) => (m ? MODEL_LABELS[m] : "–");
  return (
    <p style={{ margin: 0 }} data-testid="fit-summary">
      ΔBIC = BIC forgetful − BIC flexible = <strong>{signed(c.deltaBic)}</strong> → preferred NTA
      variant: <strong data-testid="fit-preferred">{c.preferred}</strong> ({c.strength}). Best model
      overall: <strong data-testid="fit-best">{best(c.best)}</strong>; best baseline{" "}
      {best(c.bestBaseline)}
      {c.ntaVsBaseline !== null ? (
        <> (best NTA − best baseline = {signed(c.ntaVsBaseline)} BIC)</>
      ) : null}
      .{" "}
      {c.atChance
        ? `At chance (${c.chanceReason}): the NTA comparison says nothing about this participant.`
        : c.misfit
          ? "A descriptive baseline beats both NTA variants by more than 10 BIC: neither NTA variant describes these data; read the flexible/forgetful preference as weak at most."
          : "An NTA variant describes the data about as well as the best baseline."}
    </p>
  );
}
