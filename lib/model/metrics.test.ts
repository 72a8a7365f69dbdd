import {
  fig8BTape,
  firstCrossingTimes,
  flaggedSwitches,
  npGradient,
  postSwitchLoss,
  sortPaths,
  totalAlignment,
} from "./metrics";

it("np.gradient and switch flags mark two entries per switch", () => {
  expect(Array.from(npGradient([0, 0, 1, 1]))).toEqual([0, 0.5, 0.5, 0]);
  expect(flaggedSwitches([0, 0, 0, 1, 1, 1, 2, 2], 0.01, 0.2)).toEqual([2, 3, 5, 6]);
});

it("Fig 2F: splits one entry after the switch, drops short segments, len−1 if never below", () => {
  const blocks = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
  const loss = [0.5, 0.3, 0.05, 0.01, 0.5, 0.4, 0.3, 0.2, 0.2, 0.2];
  // segments: [0..4) → idx 2; [4,5) dropped (len 1); [5..10) never < 0.1 → len−1 = 4
  expect(firstCrossingTimes(loss, blocks, 0.5, 2)).toEqual([0.5, 1]);
});

it("Fig 8B reads entries t_sw+2 … t_sw+6 of the first switches", () => {
  const blocks = Array.from({ length: 40 }, (_, i) => Math.floor(i / 10));
  const loss = Array.from({ length: 40 }, (_, i) => i);
  expect(fig8BTape(loss, blocks, 0.01, 2)).toEqual([
    [11, 12, 13, 14, 15],
    [21, 22, 23, 24, 25],
  ]);
  expect(postSwitchLoss(loss, 10, 2, 3)).toEqual([
    [11, 12, 13],
    [21, 22, 23],
  ]);
});

it("sort_it swaps paths to their best-matching teacher; total alignment uses the sorted diagonal", () => {
  // T=1, P=2, M=2, cos[p, m]: path 0 matches teacher 1, path 1 matches teacher 0
  const cos = [0.1, 0.9, 0.8, 0.2];
  const perm = sortPaths(cos, 1, 2, 2);
  expect(perm).toEqual([1, 0]);
  expect(totalAlignment(cos, perm, 2)).toBeCloseTo(0.85, 12);
  expect(totalAlignment(cos, [0, 1], 2)).toBeCloseTo(0.15, 12);
});
