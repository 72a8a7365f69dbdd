// TF.js backend selection (docs/ARCHITECTURE.md §6.3). Node: wasm (loads its .wasm offline from node_modules).
// Browser: wasm from /tfjs-wasm/ (copied there by scripts/copy-tfjs-wasm.mjs), then webgl, then cpu.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export type BackendName = "wasm" | "webgl" | "cpu";

const isBrowser = (): boolean =>
  typeof (globalThis as { document?: unknown }).document !== "undefined" ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === "function" ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined";

let wasmPathSet = false;

/** Activate the first backend of `prefer` that initialises; returns its name. */
export async function initBackend(prefer?: BackendName[]): Promise<BackendName> {
  const browser = isBrowser();
  const order: BackendName[] = prefer ?? (browser ? ["wasm", "webgl", "cpu"] : ["wasm", "cpu"]);
  if (browser && !wasmPathSet && order.includes("wasm")) {
    setWasmPaths("/tfjs-wasm/");
    wasmPathSet = true;
  }
  for (const name of order) {
    if (tf.getBackend() === name) return name;
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // try the next backend
    }
  }
  throw new Error(`No TF.js backend could be initialised (tried ${order.join(", ")})`);
}
