// Part of `npm run bench:dashboard`: renders the study dashboard's charts and tables (Fig8Panels,
// CostsTable) to HTML with React from a view saved as JSON, and prints the median time as JSON.
// Runs without the react-server condition (the charts are client components).
import { readFileSync } from "node:fs";

import { createElement } from "react";
import { renderToString } from "react-dom/server";

import { Fig8Panels } from "../components/dashboard/fig8-panels";
import { CostsTable } from "../components/dashboard/summary-tables";
import type { Fig8View } from "../lib/core/recovery";

const [file, repeatsText] = process.argv.slice(2);
const { view, positions } = JSON.parse(readFileSync(file, "utf8")) as {
  view: Fig8View;
  positions: number;
};
const page = () =>
  createElement(
    "main",
    null,
    createElement(Fig8Panels, { view, positions, emptyHumanText: "–", emptyModelText: "–" }),
    createElement(CostsTable, { rows: view.costs, repeatFrom: 2 }),
  );
let html = renderToString(page()); // warm-up
const ms: number[] = [];
for (let i = 0; i < Math.max(1, Number(repeatsText) || 5); i++) {
  const t0 = performance.now();
  html = renderToString(page());
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
const points = (html.match(/<circle/g) ?? []).length;
console.log(
  JSON.stringify({ medianMs: ms[Math.floor(ms.length / 2)], bytes: html.length, points }),
);
