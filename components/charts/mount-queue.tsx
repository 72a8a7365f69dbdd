"use client";
// Charts that mount a piece per frame. A recharts chart costs tens of milliseconds to mount (more
// on a slow laptop); a figure of several charts mounted in one task blocks the main thread for
// several frames. Inside <ChartsOneAtATime>, every LinePanel takes its steps (e.g. axes first, then
// its lines) as turns in one page-wide queue: each turn runs in its own task after a frame has been
// painted, and the chart is drawn at its container's measured width, so it renders at its size
// once (not at a guessed width and again after measuring).
import {
  type ReactNode,
  type RefObject,
  createContext,
  useContext,
  useEffect,
  useState,
} from "react";

const OneAtATime = createContext(false);

/** Charts inside mount a step per animation frame, in document order. */
export function ChartsOneAtATime({ children }: { children: ReactNode }) {
  return <OneAtATime.Provider value>{children}</OneAtATime.Provider>;
}

type Turn = { go: () => void; live: boolean };
const queue: Turn[] = [];
let pumping = false;

/** Give the next live turn after the next paint, then the one after on the following frame. */
function pump() {
  requestAnimationFrame(() =>
    setTimeout(() => {
      let next = queue.shift();
      while (next && !next.live) next = queue.shift();
      next?.go();
      if (queue.length) pump();
      else pumping = false;
    }, 0),
  );
}

function enqueue(turn: Turn) {
  queue.push(turn);
  if (!pumping) {
    pumping = true;
    pump();
  }
}

export type ChartTurns = {
  /** Steps granted so far (0 … steps). */
  granted: number;
  /** The width of `box` when the first step was granted; undefined outside the queue. */
  width: number | undefined;
};

/**
 * Inside <ChartsOneAtATime>: `steps` turns of the page-wide queue, one at a time (the next step
 * queues behind every chart's earlier steps), with the width of `box` (the element the chart
 * fills) read at the first. Elsewhere: every step at once.
 */
export function useChartTurns(box: RefObject<HTMLElement | null>, steps: number): ChartTurns {
  const queued = useContext(OneAtATime);
  const [turns, setTurns] = useState<ChartTurns>({
    granted: queued ? 0 : steps,
    width: undefined,
  });
  useEffect(() => {
    if (!queued) return;
    let live = true;
    let granted = 0;
    const turn: Turn = {
      get live() {
        return live;
      },
      go: () => {
        granted += 1;
        const width = box.current?.clientWidth || undefined;
        setTurns((t) => ({ granted, width: t.width ?? width }));
        if (granted < steps) enqueue(turn);
      },
    };
    enqueue(turn);
    return () => {
      live = false;
    };
  }, [queued, box, steps]);
  return turns;
}
