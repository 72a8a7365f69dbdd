// npm run fit -- --study <slug> [--run <runId>] [--link ddm|choice] — fit flexible and forgetful to
// every completed, non-pilot run of a study (or one run) in this process, store the Fit rows (per run
// and the study BIC sums), and print a progress line per run and a results table. --link ddm
// (default) scores key presses and response times, choice the key presses only. docs/fitting.md.
import { parseArgs } from "node:util";

import { getDb } from "../lib/server/db";
import { DEFAULT_FIT_LINK, fitRun, fitStudy } from "../lib/server/fits";

const { values } = parseArgs({
  options: {
    study: { type: "string" },
    run: { type: "string" },
    link: { type: "string", default: DEFAULT_FIT_LINK },
  },
});
if (!values.study || (values.link !== "ddm" && values.link !== "choice")) {
  console.error("Usage: npm run fit -- --study <slug> [--run <runId>] [--link ddm|choice]");
  process.exit(2);
}
const link = values.link;
const study = await getDb().study.findUnique({ where: { slug: values.study } });
if (!study) {
  console.error(`No study with slug "${values.study}"`);
  process.exit(1);
}
const f = (v: number | undefined, d = 3) => (v === undefined ? "—" : v.toPrecision(d));
const rows: string[] = [];
const onRun = (runId: string, fit: Awaited<ReturnType<typeof fitRun>>, i?: number, n?: number) => {
  const { flexible: x, forgetful: y, comparison: c } = fit;
  console.log(
    `[${(i ?? 0) + 1}/${n ?? 1}] run ${runId}: ${(fit.wallMs / 1000).toFixed(1)} s, ΔBIC ${c.deltaBic.toFixed(1)} → ${c.preferred} (${c.strength})`,
  );
  rows.push(
    [
      runId.padEnd(26),
      String(x.nTrials).padStart(4),
      `${f(x.theta.tauW)} ${f(x.theta.tauC)} ${f(x.theta.lambda)} ${f(x.theta.beta)} ${f(x.theta.lapse)}`.padEnd(
        34,
      ),
      x.bic.toFixed(1).padStart(8),
      `${f(y.theta.tau)} ${f(y.theta.beta)} ${f(y.theta.lapse)}`.padEnd(20),
      y.bic.toFixed(1).padStart(8),
      c.deltaBic.toFixed(1).padStart(7),
      c.preferred,
    ].join(" "),
  );
};
const t0 = performance.now();
let summary = "";
if (values.run) {
  onRun(values.run, await fitRun(values.run, { link }));
} else {
  let lastLine = 0;
  const s = await fitStudy(study.id, {
    link,
    onProgress: (fraction, message) => {
      if (performance.now() - lastLine < 2000) return;
      lastLine = performance.now();
      process.stdout.write(`  ${(100 * fraction).toFixed(0)}% ${message}\n`);
    },
    onRun: (runId, fit, i, n) => onRun(runId, fit as Awaited<ReturnType<typeof fitRun>>, i, n),
  });
  if (!s.comparison) summary = "No completed runs to fit.";
  else {
    const c = s.comparison;
    summary = `Study ${values.study}: ${c.participants} participants, summed BIC flexible ${c.bic.flexible.toFixed(1)} vs forgetful ${c.bic.forgetful.toFixed(1)} (ΔBIC ${c.deltaBic.toFixed(1)} → ${c.preferred}); per participant: flexible ${c.preferredCount.flexible}, forgetful ${c.preferredCount.forgetful}`;
  }
}
console.log(
  `\n${"run".padEnd(26)}    n flexible τ_w τ_c λ β lapse          BIC_flex forgetful τ β lapse  BIC_forg    ΔBIC preferred`,
);
for (const r of rows) console.log(r);
if (summary) console.log(`\n${summary}`);
console.log(`Stored Fit rows (${link} link). ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await getDb().$disconnect();
