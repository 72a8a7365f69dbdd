// npm run fit -- --study <slug> [--run <runId>] [--link ddm|choice] — fit every model (the NTA
// variants and the baselines) to
// every completed, non-pilot run of a study (or one run) in this process, store the Fit rows (per run
// and the study BIC sums), and print a progress line per run and a results table. --link ddm
// (default) scores key presses and response times, choice the key presses only. docs/fitting.md.
import { parseArgs } from "node:util";

import { getDb } from "../lib/server/db";
import { ALL_MODELS } from "../lib/model/fit/transforms";
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
const rows: string[] = [];
const onRun = (runId: string, fit: Awaited<ReturnType<typeof fitRun>>, i?: number, n?: number) => {
  const c = fit.comparison;
  console.log(
    `[${(i ?? 0) + 1}/${n ?? 1}] run ${runId}: ${(fit.wallMs / 1000).toFixed(1)} s, ${c.summary}`,
  );
  const pe = c.practiceEffect;
  rows.push(
    [
      runId.padEnd(26),
      String(fit.flexible.nTrials).padStart(4),
      ...ALL_MODELS.map((m) => (fit.fits[m]?.bic.toFixed(1) ?? "—").padStart(9)),
      (pe
        ? pe.estimable
          ? `${pe.estimate.toFixed(2)} [${pe.lo.toFixed(2)}, ${pe.hi.toFixed(2)}]`
          : "not estimable"
        : "—"
      ).padEnd(22),
      c.summary,
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
    const best = ALL_MODELS.map((m) => `${m} ${c.bestCount[m] ?? 0}`).join(", ");
    summary = `Study ${values.study}: ${c.participants} participants in the sums (${c.excluded.length} excluded at chance), summed BIC flexible ${c.bic.flexible?.toFixed(1)} vs forgetful ${c.bic.forgetful?.toFixed(1)} (ΔBIC ${c.deltaBic.toFixed(1)} → ${c.preferred}); NTA misfit ${c.misfitCount}; best model per participant: ${best}; ${s.groupInformed ? `group-informed estimates over ${s.groupInformed} participants stored` : "too few participants for group-informed estimates"}`;
  }
}
console.log(
  `\n${"run".padEnd(26)}    n ${ALL_MODELS.map((m) => m.slice(0, 9).padStart(9)).join(" ")} ${"practice γ [95 %]".padEnd(22)} verdict`,
);
for (const r of rows) console.log(r);
if (summary) console.log(`\n${summary}`);
console.log(`Stored Fit rows (${link} link). ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await getDb().$disconnect();
