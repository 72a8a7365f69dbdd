import { createRng } from "@/lib/core/rng";

import { invertSpd, latinHypercube, nelderMead, numericalHessian } from "./optimise";

const box = { lo: [-5, -5], hi: [5, 5] };

describe("fit optimiser", () => {
  it("Nelder–Mead finds the Rosenbrock minimum at (1, 1)", async () => {
    const rosen = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const r = await nelderMead(rosen, [-1.2, 1], box, { maxEvals: 2000, fTol: 1e-12, xTol: 1e-8 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
    expect(r.converged).toBe(true);
  });

  it("stays in the box and stops on its edge when the optimum is outside", async () => {
    const r = await nelderMead(([x, y]) => (x - 9) ** 2 + (y + 1) ** 2, [0, 0], box, {
      maxEvals: 1000,
    });
    expect(r.x[0]).toBeCloseTo(5, 4);
    expect(r.x[1]).toBeCloseTo(-1, 3);
  });

  it("central-difference Hessian is exact on a quadratic and its inverse is the covariance", async () => {
    const A = [
      [4, 1, 0],
      [1, 3, 0.5],
      [0, 0.5, 2],
    ];
    const f = (x: number[]) =>
      0.5 * x.reduce((s, xi, i) => s + xi * x.reduce((t, xj, j) => t + A[i][j] * xj, 0), 0) + x[0];
    const H = await numericalHessian(async (xs) => xs.map(f), [0.3, -0.2, 0.1], [0.01, 0.01, 0.01]);
    H.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(A[i][j], 5)));
    // A·H⁻¹ = I
    const inv = invertSpd(H)!;
    const I = A.map((row) => row.map((_, j) => row.reduce((s, a, k) => s + a * inv[k][j], 0)));
    I.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 5)));
    expect(
      invertSpd([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull(); // indefinite
  });

  it("Latin hypercube puts exactly one point in each stratum of every axis", () => {
    const pts = latinHypercube(16, { lo: [0, 10], hi: [1, 20] }, createRng(3));
    for (let d = 0; d < 2; d++) {
      const strata = pts
        .map((p) => Math.floor(((p[d] - [0, 10][d]) / [1, 10][d]) * 16))
        .sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: 16 }, (_, i) => i));
    }
  });
});
