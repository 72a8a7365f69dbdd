// Node worker_threads entry for the zoo report (scripts/fit-zoo.ts): takes one participant job at a
// time from the parent ({type: "job"}), posts progress and the result, and asks for the next.
import { parentPort } from "node:worker_threads";

import { type ZooJob, runZooParticipant } from "./zoo";

const port = parentPort!;
port.on("message", async (m: { type: "job"; job: ZooJob } | { type: "stop" }) => {
  if (m.type === "stop") return port.close();
  try {
    const result = await runZooParticipant(m.job, (fraction, message) =>
      port.postMessage({ type: "progress", fraction, message }),
    );
    port.postMessage({ type: "done", result });
  } catch (e) {
    port.postMessage({
      type: "error",
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  }
});
port.postMessage({ type: "ready" });
