// Cooperative scheduling for long training loops: report progress, honour an AbortSignal, and
// yield to the event loop between chunks so a worker can receive "cancel" (docs/ARCHITECTURE.md §6.2).

export type RunControl = {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
};

export class CancelledError extends Error {
  constructor() {
    super("Model run cancelled");
    this.name = "CancelledError";
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Yield one macrotask (lets message events, e.g. a worker's cancel, run). */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 0));
