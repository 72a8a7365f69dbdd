// Deep equality for results computed two ways (stored summaries vs every trial).
/** Deep equality, numbers to 9 significant digits (sums may be added in another order). */
export function expectSame(a: unknown, b: unknown, path = "$") {
  if (typeof a === "number" && typeof b === "number") {
    const tol = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= tol)) expect.fail(`${path}: ${a} ≠ ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    expect(a, path).toEqual(b);
    return;
  }
  expect(Object.keys(a as object).sort(), path).toEqual(Object.keys(b as object).sort());
  for (const k of Object.keys(a as object))
    expectSame(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
}
