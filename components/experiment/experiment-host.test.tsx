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
  buildTimeline: (opts: {
    onTrialRecord: (r: TrialRecordInput) => void;
    onEarlyEnd: (reason: string) => void;
  }) => {
    class TwoRecords {
      static info = { name: "two-records", version: "0", parameters: {}, data: {} };
      constructor(private jsPsych: { finishTrial(d?: object): void }) {}
      trial() {
        // a test may end the run early instead (declined consent: no trial at all)
        const early = (globalThis as { earlyEnd?: string }).earlyEnd;
        if (early) {
          opts.onEarlyEnd(early);
          return this.jsPsych.finishTrial({});
        }
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
        // a test may hold the trial open (to act while the run is in progress)
        const hold = (globalThis as { holdTrial?: Promise<void> }).holdTrial;
        if (hold) void hold.then(() => this.jsPsych.finishTrial({}));
        else this.jsPsych.finishTrial({});
      }
    }
    return [{ type: TwoRecords }];
  },
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4, practice: { trials: 0 } });
const curriculum = generateCurriculum(config, 7);

/** A fake server whose trial saves are held until `release()`. */
function fakeServer(
  complete: { completionCode: string; redirectUrl: string },
  returned = { outcome: "withdrawn", completionCode: "", redirectUrl: "" },
) {
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
    log.push(path === "return" ? `return:${init.body}` : path);
    if (path === "complete")
      return new Response(JSON.stringify({ outcome: "completed", ...complete }), { status: 200 });
    if (path === "return") return new Response(JSON.stringify(returned), { status: 200 });
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

/** Render the host for a fresh run (no resume) and return its root. */
async function mount(
  container: HTMLElement,
  token: string,
  props: Partial<Parameters<typeof ExperimentHost>[0]> = {},
) {
  const root = createRoot(container);
  await act(async () =>
    root.render(
      <ExperimentHost
        token={token}
        config={config}
        curriculum={curriculum}
        resume={{ mainTrialsDone: 0, practiceDone: false }}
        {...props}
      />,
    ),
  );
  return root;
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
    const root = await mount(container, "tok");
    await until(() => container.textContent!.includes("Saving your answers"));
    expect(server.log).toEqual(["heartbeat"]);
    expect(JSON.parse(localStorage.getItem("nta:save-queue:tok")!)).toHaveLength(2);
    server.release();
    await until(() => container.querySelector("[data-testid=completion-code]") !== null);
    expect(container.querySelector("[data-testid=completion-code]")!.textContent).toBe("C0DE-42");
    expect(container.querySelector("[data-testid=copy-code]")!.textContent).toBe("Copy code");
    // the save queue coalesces the two trials into one request
    expect(server.log.filter((l) => l !== "heartbeat")).toEqual(["trials:0,1", "complete"]);
    expect(localStorage.getItem("nta:save-queue:tok")).toBeNull();
    await act(async () => root.unmount());
  });

  it("never sends a pilot run to the recruiter's redirect", async () => {
    const server = fakeServer({ completionCode: "P", redirectUrl: "https://example.org/done" });
    vi.stubGlobal("fetch", server.fetchMock);
    const navigate = vi.fn();
    const root = await mount(container, "tok-pilot", { pilot: true, navigate });
    server.release();
    await until(() => container.querySelector("[data-testid=pilot-redirect]") !== null);
    expect(container.querySelector("[data-testid=pilot-redirect]")!.textContent).toContain(
      "https://example.org/done",
    );
    expect(navigate).not.toHaveBeenCalled();
    await act(async () => root.unmount());
  });

  it("shows progress over the main trials and records tab switches and resizes with the run", async () => {
    const server = fakeServer({ completionCode: "E", redirectUrl: "" });
    const bodies: unknown[] = [];
    vi.stubGlobal("fetch", (url: string, init: { body: string }) => {
      if (url.endsWith("/events")) bodies.push(...JSON.parse(init.body).events);
      return server.fetchMock(url, init);
    });
    let endTrial!: () => void;
    (globalThis as { holdTrial?: Promise<void> }).holdTrial = new Promise((r) => (endTrial = r));
    const root = await mount(container, "tok-events");
    await until(() => container.querySelector("[data-testid=task-progress]") !== null);
    // two of the eight main trials are done
    expect(
      container.querySelector("[data-testid=task-progress]")!.getAttribute("aria-valuenow"),
    ).toBe("25");
    await act(async () => {
      window.dispatchEvent(new Event("blur"));
      window.dispatchEvent(new Event("focus"));
      window.dispatchEvent(new Event("resize"));
    });
    await until(() => bodies.length === 3);
    expect(bodies).toMatchObject([
      { type: "blur", phase: "main", trialIndex: 1, seq: 0 },
      { type: "focus", phase: "main", trialIndex: 1, seq: 1 },
      { type: "resize", width: window.innerWidth, height: window.innerHeight, seq: 2 },
    ]);
    endTrial();
    delete (globalThis as { holdTrial?: Promise<void> }).holdTrial;
    await until(() => container.textContent!.includes("Saving your answers"));
    // the run is over: later focus changes are not events of the task
    await act(async () => window.dispatchEvent(new Event("blur")));
    server.release();
    await until(() => container.querySelector("[data-testid=completion-code]") !== null);
    expect(bodies).toHaveLength(3);
    await act(async () => root.unmount());
  });

  it("redirects only after the last save", async () => {
    const server = fakeServer({
      completionCode: "X",
      redirectUrl: "https://example.org/done?cc=X",
    });
    vi.stubGlobal("fetch", server.fetchMock);
    const navigate = vi.fn();
    const root = await mount(container, "tok2", { navigate });
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

  it("ends a declined consent with /return and shows that outcome's own code, with a copy button that copies it", async () => {
    const server = fakeServer(
      { completionCode: "NEVER", redirectUrl: "" },
      { outcome: "consent-declined", completionCode: "NOCONSENT-7", redirectUrl: "" },
    );
    vi.stubGlobal("fetch", server.fetchMock);
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    (globalThis as { earlyEnd?: string }).earlyEnd = "consent-declined";
    try {
      server.release();
      const root = await mount(container, "tok-declined");
      await until(() => container.querySelector("[data-testid=completion-code]") !== null);
      expect(container.querySelector("[data-testid=completion-code]")!.textContent).toBe(
        "NOCONSENT-7",
      );
      expect(container.textContent).toContain("You chose not to take part");
      expect(server.log.filter((l) => l !== "heartbeat")).toEqual([
        'return:{"reason":"consent-declined"}',
      ]);
      await act(async () =>
        (container.querySelector("[data-testid=copy-code]") as HTMLButtonElement).click(),
      );
      expect(writeText).toHaveBeenCalledWith("NOCONSENT-7");
      await until(
        () => container.querySelector("[data-testid=copy-code]")!.textContent === "Copied",
      );
      await act(async () => root.unmount());
    } finally {
      delete (globalThis as { earlyEnd?: string }).earlyEnd;
    }
  });

  it("follows an early outcome's redirect, except on a pilot run", async () => {
    for (const pilot of [false, true]) {
      const server = fakeServer(
        { completionCode: "NEVER", redirectUrl: "" },
        { outcome: "screened-out", completionCode: "", redirectUrl: "https://example.org/screen" },
      );
      vi.stubGlobal("fetch", server.fetchMock);
      server.release();
      const navigate = vi.fn();
      (globalThis as { earlyEnd?: string }).earlyEnd = "screened-out";
      const root = await mount(container, `tok-screen-${pilot}`, { navigate, pilot });
      if (pilot) {
        await until(() => container.querySelector("[data-testid=pilot-redirect]") !== null);
        expect(navigate).not.toHaveBeenCalled();
      } else {
        await until(() => navigate.mock.calls.length > 0);
        expect(navigate).toHaveBeenCalledWith("https://example.org/screen");
      }
      delete (globalThis as { earlyEnd?: string }).earlyEnd;
      await act(async () => root.unmount());
    }
  });
});
