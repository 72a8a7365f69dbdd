// Model streams by source: how many finished streams each source (server, a researcher's browser,
// the participant's browser) holds per model, which of them the canonical choice uses (one per run
// and model, never two), and links to show one source only.
import type { ModelSourceName, StreamInventory } from "@/lib/core/model-sources";

export const SOURCE_LABEL: Record<ModelSourceName | "canonical" | "paper", string> = {
  canonical: "canonical (server, else researcher's browser, else participant's browser)",
  server: "server",
  researcher_browser: "researcher's browser",
  participant_browser: "participant's browser",
  paper: "paper reproduction",
};

export function StreamSources({
  inventory,
  selected,
  hrefFor,
}: {
  inventory: StreamInventory[];
  selected: ModelSourceName | "canonical";
  hrefFor: (source: ModelSourceName | "canonical") => string;
}) {
  if (inventory.length === 0) return null;
  const sources = (["server", "researcher_browser", "participant_browser"] as const).filter((s) =>
    inventory.some((i) => i.source === s),
  );
  const presets = [...new Set(inventory.map((i) => i.preset))].sort();
  const cell = (preset: string, source: string) =>
    inventory.find((i) => i.preset === preset && i.source === source);
  return (
    <div data-testid="stream-sources" style={{ marginTop: "0.75rem" }}>
      <table className="data">
        <thead>
          <tr>
            <th>Model streams by source</th>
            {sources.map((s) => (
              <th key={s} className="r-num">
                {SOURCE_LABEL[s]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {presets.map((p) => (
            <tr key={p}>
              <td>{p}</td>
              {sources.map((s) => {
                const c = cell(p, s);
                return (
                  <td key={s} className="r-num" data-testid={`streams-${p}-${s}`}>
                    {c ? `${c.streams} (${c.canonical} used)` : "–"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" style={{ margin: "0.25rem 0 0" }}>
        &ldquo;used&rdquo; = the canonical stream of its run. Show:{" "}
        {(["canonical", ...sources] as const).map((s, i) => (
          <span key={s}>
            {i > 0 ? " · " : ""}
            {s === selected ? (
              <strong>{SOURCE_LABEL[s]}</strong>
            ) : (
              <a href={hrefFor(s)} data-testid={`source-${s}`}>
                {SOURCE_LABEL[s]}
              </a>
            )}
          </span>
        ))}
        . Exports mark the canonical stream of each run in the column <code>modelCanonical</code>.
      </p>
    </div>
  );
}
