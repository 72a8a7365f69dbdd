// The participant's experiment page: loads the run (curriculum, config, how far they got) and
// mounts the jsPsych host. A reload lands here again and resumes at the first unsaved trial; a
// finished run (after a reload, or a return with the same external id) shows its outcome.
// Neither the page nor the config it hands to the browser holds a code or the recruiter redirect:
// only the server's answer to POST /complete (completed) or /return (an early end) holds them.
import { notFound } from "next/navigation";

import { ExperimentHost } from "@/components/experiment/experiment-host";
import { FinishedRun } from "@/components/experiment/outcome-screen";
import { returnReasonOf } from "@/lib/core/outcomes";
import { HttpError } from "@/lib/server/http";
import { fetchRunState, participantConfig } from "@/lib/server/runs";

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
      <main>
        <FinishedRun
          token={token}
          outcome={run.status === "completed" ? "completed" : returnReasonOf(run.statusReason)}
          pilot={run.isPilot}
        />
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
