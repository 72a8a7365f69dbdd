// The fields a researcher pastes into Prolific, in one panel on the study page: the estimated
// completion time (lib/core/duration.ts, the same estimate as the consent text), the study URL
// with Prolific's placeholders, and the code (or redirect) of every outcome
// (lib/core/outcomes.ts; what participants of each outcome are shown).
import { estimateDuration } from "@/lib/core/duration";
import {
  EARLY_OUTCOMES,
  OUTCOME_LABELS,
  outcomeReward,
  type RunOutcome,
} from "@/lib/core/outcomes";
import type { StudyConfig } from "@/lib/core/study-config";

import { CopyLink } from "./copy-link";

/** The participant link with Prolific's URL placeholders (Prolific fills in the ids). */
export function prolificStudyPath(slug: string): string {
  return `/s/${slug}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`;
}

export function ProlificFields({ slug, config }: { slug: string; config: StudyConfig }) {
  const duration = estimateDuration(config);
  const outcomes: RunOutcome[] = ["completed", ...EARLY_OUTCOMES];
  return (
    <section className="card" data-testid="prolific-panel" aria-labelledby="prolific-panel-title">
      <h2 id="prolific-panel-title" style={{ marginTop: 0 }}>
        Prolific fields
      </h2>
      <dl className="r-prolific">
        <dt>Estimated completion time</dt>
        <dd data-testid="prolific-panel-duration">
          {duration.minutes} minutes{" "}
          <span className="muted">
            (up to {duration.maxMinutes} with every practice attempt; {duration.mainTrials} main
            trials)
          </span>
        </dd>
        <dt>Device</dt>
        <dd>Desktop or laptop with a keyboard (phones and tablets are turned away)</dd>
        <dt>Study URL</dt>
        <dd>
          <CopyLink label="" path={prolificStudyPath(slug)} testId="prolific-panel-url" />
        </dd>
        <dt>Completion paths</dt>
        <dd>
          <table className="data" data-testid="prolific-panel-codes">
            <thead>
              <tr>
                <th scope="col">Outcome</th>
                <th scope="col">Code</th>
                <th scope="col">Redirect</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => {
                const reward = outcomeReward(config.recruitment, o);
                return (
                  <tr key={o} data-testid={`prolific-code-${o}`}>
                    <td>{OUTCOME_LABELS[o]}</td>
                    <td>
                      {reward.completionCode ? (
                        <code>{reward.completionCode}</code>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td>
                      {reward.redirectUrl ? (
                        <code>{reward.redirectUrl}</code>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted" style={{ marginBottom: 0 }}>
            Add each code as a completion path in Prolific (completed: &ldquo;Approve and
            pay&rdquo;; the others as you decide). A participant sees only their own outcome&apos;s
            code; a failed practice without its own code gets the screened-out one. Pilot runs never
            redirect.
          </p>
        </dd>
        <dt>Device</dt>
        <dd>Desktop or laptop with a keyboard (phones and tablets are turned away)</dd>
      </dl>
    </section>
  );
}
