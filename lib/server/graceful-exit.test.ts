// runBeforeExit: the clean-up runs once, before the exit goes through, with the exit code kept;
// a clean-up that hangs is cut off after the grace period.
import { EventEmitter } from "node:events";

import { runBeforeExit } from "./graceful-exit";

function fakeProcess() {
  const events = new EventEmitter();
  const exits: (number | string | undefined)[] = [];
  const proc = {
    exit: ((code?: number | string) => {
      exits.push(code);
    }) as NodeJS.Process["exit"],
    once: ((event: string, fn: () => void) => events.once(event, fn)) as NodeJS.Process["once"],
  };
  return { proc, exits, events };
}

describe("runBeforeExit", () => {
  it("runs the clean-up once before exiting with the code asked for", async () => {
    const { proc, exits } = fakeProcess();
    const order: string[] = [];
    let release!: () => void;
    const cleanup = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          order.push("cleanup started");
          release = () => {
            order.push("cleanup done");
            resolve();
          };
        }),
    );
    runBeforeExit(cleanup, { proc });
    proc.exit(143);
    proc.exit(143); // a second signal while closing
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([]); // not before the database is closed
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(order).toEqual(["cleanup started", "cleanup done"]);
    expect(exits).toEqual([143, 143]);
  });

  it("exits after the grace period when the clean-up hangs, and handles signals when asked to", async () => {
    const { proc, exits, events } = fakeProcess();
    runBeforeExit(() => new Promise(() => undefined), { proc, ownSignals: true, graceMs: 30 });
    events.emit("SIGTERM");
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(exits).toEqual([143]);
  });
});
