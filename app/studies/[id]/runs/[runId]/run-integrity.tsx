// What the researcher should know before trusting a run's data: timing the design makes
// implausible (stored at completion; the trials are kept) and moves to another browser.
export function RunIntegrity({
  timingFlags,
  transfers,
  transferredAt,
}: {
  timingFlags: string[];
  transfers: number;
  transferredAt: Date | null;
}) {
  if (timingFlags.length === 0 && transfers === 0) return null;
  return (
    <section className="card" data-testid="run-integrity">
      {timingFlags.length > 0 ? (
        <>
          <p>
            <span className="r-badge r-flag">implausible timing</span> The data are kept; check
            before including this run:
          </p>
          <ul>
            {timingFlags.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      ) : null}
      {transfers > 0 ? (
        <p>
          <span className="r-badge r-flag">moved ×{transfers}</span> Resumed with its external id in
          another browser {transfers === 1 ? "once" : `${transfers} times`}
          {transferredAt
            ? ` (last ${transferredAt.toISOString().slice(0, 16).replace("T", " ")} UTC)`
            : ""}
          ; each move ended the previous browser&apos;s link.
        </p>
      ) : null}
    </section>
  );
}
