// The participant's experiment page: loads the run (curriculum, config, how far they got) and
// mounts the jsPsych host. A reload lands here again and resumes at the first unsaved trial.
// Neither the page nor the config it hands to the browser holds the completion code or the
// recruiter redirect: only a successful POST /complete answers with them.
import { notFound } from "next/navigation";

import { ExperimentHost } from "@/components/experiment/experiment-host";
import { HttpError } from "@/lib/server/http";
import { fetchRunState, participantConfig } from "@/lib/server/runs";

import { ShowCompletionCode } from "./show-completion-code";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let state;
  try {
    state = await fetchRunState(token);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    throw err;
  }
  const { run, config, curriculum, resume } = state;
  if (run.status === "completed" || run.status === "returned") {
    return (
      <main className="narrow">
        <h1>Thank you</h1>
        <p>This session is finished.</p>
        {run.status === "completed" ? <ShowCompletionCode token={token} /> : null}
      </main>
    );
  }
  return (
    <ExperimentHost
      token={token}
      config={participantConfig(config)}
      curriculum={curriculum}
      resume={resume}
      pilot={run.isPilot}
    />
  );
}
