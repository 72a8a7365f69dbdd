import { CATEGORY_COLORS, STREAM_COLORS, levelColors, sequentialColor } from "./palette";

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]));
const lightness = (hex: string) => {
  const [r, g, b] = rgb(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe("palette", () => {
  it("practice levels: ordered (earliest darkest) and neighbours never alike, for 2–6 levels (dashboards show at most 4)", () => {
    for (let n = 2; n <= 6; n++) {
      const c = levelColors(n);
      expect(c).toHaveLength(n);
      for (let i = 1; i < n; i++) {
        expect(lightness(c[i])).toBeGreaterThan(lightness(c[i - 1]));
        expect(distance(c[i], c[i - 1])).toBeGreaterThan(40);
      }
    }
    expect(levelColors(1)).toEqual([sequentialColor(0)]);
  });

  it("streams keep fixed, distinct colours that no other category uses", () => {
    const streams = Object.values(STREAM_COLORS);
    expect(new Set(streams).size).toBe(3);
    for (const c of CATEGORY_COLORS)
      for (const s of streams) expect(distance(c, s)).toBeGreaterThan(60);
    expect(distance(STREAM_COLORS.flexible, STREAM_COLORS.forgetful)).toBeGreaterThan(150);
  });
});
