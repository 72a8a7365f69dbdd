// @vitest-environment jsdom
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { generateCurriculum } from "@/lib/core/curriculum";
import { studyConfigSchema } from "@/lib/core/study-config";
import type { TrialRecordInput } from "@/lib/core/trial-record";

import { ExperimentHost } from "./experiment-host";

// The real timeline is tested in lib/experiment; here a two-trial stand-in drives the host.
vi.mock("@/lib/experiment/timeline", () => ({
  buildTimeline: (opts: { onTrialRecord: (r: TrialRecordInput) => void }) => {
    class TwoRecords {
      static info = { name: "two-records", version: "0", parameters: {}, data: {} };
      constructor(private jsPsych: { finishTrial(d?: object): void }) {}
      trial() {
        for (const trialIndex of [0, 1]) {
          opts.onTrialRecord({
            phase: "main",
            trialIndex,
            blockIndex: 0,
            trialInBlock: trialIndex,
            task: "parity",
            stimulus: "3",
            correctResponse: "f",
            congruent: true,
            response: "f",
            correct: true,
            rtMs: 400,
          });
        }
        this.jsPsych.finishTrial({});
      }
    }
    return [{ type: TwoRecords }];
  },
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4, practice: { trials: 0 } });
const curriculum = generateCurriculum(config, 7);

/** A fake server whose trial saves are held until `release()`. */
function fakeServer(complete: { completionCode: string; redirectUrl: string }) {
  const log: string[] = [];
  let releaseSaves!: () => void;
  const savesReleased = new Promise<void>((r) => (releaseSaves = r));
  const fetchMock = vi.fn(async (url: string, init: { body: string }) => {
    const path = url.replace(/^\/api\/runs\/[^/]+\//, "");
    if (path === "trials") {
      await savesReleased;
      log.push(
        `trials:${(JSON.parse(init.body).trials as TrialRecordInput[]).map((t) => t.trialIndex).join(",")}`,
      );
      return new Response(JSON.stringify({ saved: 2, duplicates: 0 }), { status: 200 });
    }
    log.push(path);
    if (path === "complete") return new Response(JSON.stringify(complete), { status: 200 });
    return new Response("{}", { status: 200 });
  });
  return { log, fetchMock, release: () => releaseSaves() };
}

async function until(check: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error("condition not reached");
    await act(async () => new Promise((r) => setTimeout(r, 10)));
  }
}

describe("ExperimentHost", () => {
  let container: HTMLDivElement;
  beforeEach(() => {
    localStorage.clear();
    container = document.createElement("div");
    document.body.appendChild(container);
  });
  afterEach(() => {
    container.remove();
    vi.unstubAllGlobals();
  });

  it("shows 'Saving your answers…' until every trial is saved, then completes and shows the code", async () => {
    const server = fakeServer({ completionCode: "C0DE-42", redirectUrl: "" });
    vi.stubGlobal("fetch", server.fetchMock);
    const root = createRoot(container);
    await act(async () =>
      root.render(
        <ExperimentHost
          token="tok"
          config={config}
          curriculum={curriculum}
          resume={{ mainTrialsDone: 0, practiceDone: false }}
        />,
      ),
    );
    await until(() => container.textContent!.includes("Saving your answers"));
    expect(server.log).toEqual(["heartbeat"]);
    expect(JSON.parse(localStorage.getItem("nta:save-queue:tok")!)).toHaveLength(2);
    server.release();
    await until(() => container.querySelector("[data-testid=completion-code]") !== null);
    expect(container.querySelector("[data-testid=completion-code]")!.textContent).toBe("C0DE-42");
    // the save queue coalesces the two trials into one request
    expect(server.log.filter((l) => l !== "heartbeat")).toEqual(["trials:0,1", "complete"]);
    expect(localStorage.getItem("nta:save-queue:tok")).toBeNull();
    await act(async () => root.unmount());
  });

  it("redirects only after the last save", async () => {
    const server = fakeServer({
      completionCode: "X",
      redirectUrl: "https://example.org/done?cc=X",
    });
    vi.stubGlobal("fetch", server.fetchMock);
    const navigate = vi.fn();
    const root = createRoot(container);
    await act(async () =>
      root.render(
        <ExperimentHost
          token="tok2"
          config={config}
          curriculum={curriculum}
          resume={{ mainTrialsDone: 0, practiceDone: false }}
          navigate={navigate}
        />,
      ),
    );
    await until(() => container.textContent!.includes("Saving your answers"));
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(navigate).not.toHaveBeenCalled();
    server.release();
    await until(() => navigate.mock.calls.length > 0);
    expect(navigate).toHaveBeenCalledWith("https://example.org/done?cc=X");
    // the save queue coalesces the two trials into one request
    expect(server.log.filter((l) => l !== "heartbeat")).toEqual(["trials:0,1", "complete"]);
    await act(async () => root.unmount());
  });
});
