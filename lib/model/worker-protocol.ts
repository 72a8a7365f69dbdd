// Messages between the main thread and lib/model/worker.ts.
import type { ModelRequest, ModelResponse } from "./run";

export type WorkerIn = { type: "run"; request: ModelRequest } | { type: "cancel" };
export type WorkerOut =
  | { type: "progress"; done: number; total: number; backend: string }
  | { type: "result"; response: ModelResponse }
  | { type: "error"; message: string; cancelled: boolean };
