// Part of `npm run bench:dashboard`: renders the study dashboard's charts and tables (Fig8Panels,
// CostsTable) from a view saved as JSON in real Chromium (esbuild bundles the components, the page
// renders them with react-dom/client and waits for the next frame, so the SVG charts are laid out
// and painted), and prints the median time as JSON. Runs without the react-server condition.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { chromium } from "@playwright/test";
import { build } from "esbuild";

const [file, repeatsText] = process.argv.slice(2);
const repeats = Math.max(1, Number(repeatsText) || 5);
const dir = mkdtempSync(join(tmpdir(), "nta-render-"));
const root = resolve(".");
writeFileSync(
  join(dir, "entry.tsx"),
  `import { createElement } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { Fig8Panels } from "${root}/components/dashboard/fig8-panels";
import { CostsTable } from "${root}/components/dashboard/summary-tables";
import data from ${JSON.stringify(resolve(file))};
const { view, positions } = data as any;
(window as any).renderOnce = () => new Promise<number>((done) => {
  const host = document.createElement("div");
  document.body.replaceChildren(host);
  const t0 = performance.now();
  flushSync(() => createRoot(host).render(createElement("main", null,
    createElement(Fig8Panels, { view, positions, emptyHumanText: "–", emptyModelText: "–" }),
    createElement(CostsTable, { rows: view.costs, repeatFrom: 2 }))));
  requestAnimationFrame(() => done(performance.now() - t0));
});`,
);
await build({
  entryPoints: [join(dir, "entry.tsx")],
  bundle: true,
  outfile: join(dir, "out.js"),
  nodePaths: [join(root, "node_modules")],
  alias: { "@": root },
  define: { "process.env.NODE_ENV": '"production"' },
  jsx: "automatic",
  logLevel: "warning",
});
writeFileSync(
  join(dir, "index.html"),
  `<html><body style="width:1400px"><script src="out.js"></script></body></html>`,
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 2000 } });
await page.goto(`file://${join(dir, "index.html")}`);
const ms: number[] = [];
await page.evaluate(() => (window as unknown as { renderOnce(): Promise<number> }).renderOnce());
for (let i = 0; i < repeats; i++)
  ms.push(
    await page.evaluate(() =>
      (window as unknown as { renderOnce(): Promise<number> }).renderOnce(),
    ),
  );
const points = await page.locator(".recharts-line-dots circle").count();
await browser.close();
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ medianMs: ms[Math.floor(ms.length / 2)], points }));
