// The worker protocol end to end, with an in-process fake Worker that runs lib/model/run.ts
// exactly as worker.ts does (Node has no module Web Workers).
import { initBackend } from "./backend";
import { CancelledError } from "./progress";
import { runModel } from "./run";
import type { WorkerIn, WorkerOut } from "./worker-protocol";
import { runInWorker } from "./worker-client";

class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerOut>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  private ac = new AbortController();
  postMessage(m: WorkerIn) {
    if (m.type === "cancel") return this.ac.abort();
    const emit = (o: WorkerOut) =>
      !this.terminated && this.onmessage?.({ data: o } as MessageEvent<WorkerOut>);
    runModel(m.request, {
      signal: this.ac.signal,
      onProgress: (done, total) => emit({ type: "progress", done, total, backend: "wasm" }),
    })
      .then((response) => emit({ type: "result", response }))
      .catch((e: Error) =>
        emit({ type: "error", message: e.message, cancelled: e instanceof CancelledError }),
      );
  }
  terminate() {
    this.terminated = true;
  }
}

beforeAll(async () => {
  await initBackend(["wasm"]);
});

it("runs a request, reports progress and resolves with the response", async () => {
  const progress: number[] = [];
  let w: FakeWorker | null = null;
  const res = await runInWorker(
    {
      mode: "stimulus",
      presets: ["flexible", "forgetful"],
      seeds: 1,
      sequence: {
        keys: { left: "f", right: "j" },
        trials: Array.from({ length: 300 }, (_, t) => ({
          input: [1, 0],
          target: [1],
          task: "a",
          blockIndex: 0,
          trialInBlock: t,
          trialIndex: t,
          stimulus: "s",
          correctResponse: "j",
          congruent: true,
        })),
      },
    },
    {
      onProgress: (d) => progress.push(d),
      createWorker: () => (w = new FakeWorker()) as unknown as Worker,
    },
  );
  expect(res.mode).toBe("stimulus");
  if (res.mode === "stimulus") expect(res.labels).toEqual(["flexible", "forgetful"]);
  expect(progress.at(-1)).toBe(300);
  expect(w!.terminated).toBe(true);
});

it("rejects with CancelledError when aborted and reports unknown presets as errors", async () => {
  const ac = new AbortController();
  const req = { mode: "paper" as const, presets: ["fig8-flexible"], seeds: 2 };
  const p = runInWorker(req, {
    signal: ac.signal,
    onProgress: () => ac.abort(),
    createWorker: () => new FakeWorker() as unknown as Worker,
  });
  await expect(p).rejects.toBeInstanceOf(CancelledError);
  await expect(
    runInWorker(
      { mode: "paper", presets: ["nope"], seeds: 1 },
      { createWorker: () => new FakeWorker() as unknown as Worker },
    ),
  ).rejects.toThrow(/Unknown paper preset "nope"/);
});
