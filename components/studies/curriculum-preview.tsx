// What participant 0 would see: the block schedule, the first trials around the first switch and
// the estimated duration. Plain data in (lib/core/curriculum-preview.ts), no logic here.
import { Fragment } from "react";

import type { CurriculumPreview as CurriculumPreviewData } from "@/lib/core/curriculum-preview";

export function CurriculumPreview({ preview }: { preview: CurriculumPreviewData }) {
  return (
    <section className="card" data-testid="curriculum-preview">
      <h2 style={{ marginTop: 0 }}>Curriculum preview</h2>
      <p className="muted">
        Participant {preview.participantIndex} (seed {preview.seed}): {preview.practiceTrials}{" "}
        practice and {preview.mainTrials} main trials in {preview.blocks.length} blocks. Every
        participant gets their own order from the study seed.
      </p>
      <p data-testid="duration-estimate">
        <strong>Estimated duration: about {preview.duration.minutes} minutes</strong>{" "}
        <span className="muted">
          (up to {preview.duration.maxMinutes} if every practice attempt is used; timing × trials,
          plus {preview.duration.breaks} break{preview.duration.breaks === 1 ? "" : "s"} and the
          consent and instruction screens)
        </span>
      </p>
      <p>
        <strong>Blocks: </strong>
        {preview.blocks.map((b) => (
          <span
            key={b.blockIndex}
            title={`block ${b.blockIndex + 1}: ${b.task}`}
            className="r-badge"
            style={{ marginRight: 4 }}
          >
            {b.blockIndex + 1}. {b.task}
          </span>
        ))}
      </p>
      <table className="data">
        <thead>
          <tr>
            <th className="r-num">Trial</th>
            <th>Block</th>
            <th>Task</th>
            <th>Stimulus</th>
            <th>Correct key</th>
            <th>Congruent</th>
          </tr>
        </thead>
        <tbody>
          {preview.examples.map((t, i) => {
            const isSwitch = t.trialInBlock === 0 && t.blockIndex > 0;
            const skipped = i > 0 && t.trialIndex > preview.examples[i - 1].trialIndex + 1;
            return (
              <Fragment key={t.trialIndex}>
                {skipped ? (
                  <tr>
                    <td colSpan={6} className="muted">
                      … trials {preview.examples[i - 1].trialIndex + 2}–{t.trialIndex} not shown …
                    </td>
                  </tr>
                ) : null}
                <tr style={isSwitch ? { borderTop: "3px solid var(--accent)" } : undefined}>
                  <td className="r-num">{t.trialIndex + 1}</td>
                  <td>
                    {t.blockIndex + 1}
                    {isSwitch ? <span className="muted"> (switch)</span> : null}
                  </td>
                  <td className="r-task">{t.task}</td>
                  <td>
                    <code>{t.stimulus}</code>
                  </td>
                  <td>
                    <kbd>{t.correctResponse.toUpperCase()}</kbd>
                  </td>
                  <td>{t.congruent ? "yes" : "no"}</td>
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <p className="muted" style={{ marginBottom: 0 }}>
        First trials of blocks 1 and 2 shown; keys: left{" "}
        <kbd>{preview.keys.left.toUpperCase()}</kbd>, right{" "}
        <kbd>{preview.keys.right.toUpperCase()}</kbd>.
      </p>
    </section>
  );
}
