// The participant's experiment page: loads the run (curriculum, config, how far they got) and
// mounts the jsPsych host. A reload lands here again and resumes at the first unsaved trial.
import { notFound } from "next/navigation";

import { ExperimentHost } from "@/components/experiment/experiment-host";
import { HttpError } from "@/lib/server/http";
import { fetchRunState } from "@/lib/server/runs";

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
        <p>
          This session is finished
          {config.recruitment.completionCode ? (
            <>
              {" "}
              — your completion code is <code>{config.recruitment.completionCode}</code>
            </>
          ) : null}
          .
        </p>
      </main>
    );
  }
  return (
    <ExperimentHost
      token={token}
      config={config}
      curriculum={curriculum}
      resume={resume}
      pilot={run.isPilot}
    />
  );
}
