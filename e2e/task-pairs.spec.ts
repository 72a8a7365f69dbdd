// Each task pair beyond parity/magnitude, run by a participant with real key presses who reads
// everything off the screen: the rule cue above the stimulus, the rules' key mapping on the
// instructions page (counterbalanced: this participant has both rules' keys swapped) and the
// stimulus itself (text, or a coloured shape). The stored trials, the private export and the
// monitor's accuracy agree with what the screen said.
import { expect, test, type Page } from "@playwright/test";

import type { StudyConfigInput } from "../lib/core/study-config";

import {
  createOpenStudy,
  keyFromInstruction,
  pastInstructions,
  pressOnTrial,
  privateExportRows,
  progress,
  researcherPage,
} from "./helpers";

type Trial = { trialIndex: number; task: string; stimulus: string; correctResponse: string };
type Case = {
  taskPair: NonNullable<StudyConfigInput["taskPair"]>;
  keys: { left: string; right: string };
  /** The rule names as the instructions print them ("Letter rule"). */
  rules: [string, string];
  /** The stimulus as a participant would name it, read off the screen ("G7", "blue-circle"). */
  read(page: Page): Promise<string>;
  /** Does the stimulus fit this instruction phrase ("a vowel (A, E)", "circles")? */
  fits(stimulus: string, phrase: string): boolean;
  /** The swapped mapping as the screen and the export state it. */
  swappedLine: RegExp;
  swappedExport: string;
};

const stimulusBox = (page: Page) => page.locator("#task-trial-stimulus");

// Okabe–Ito colours as a sighted reader names them
const COLOUR_NAMES: Record<string, string> = { "#0072B2": "blue", "#E69F00": "orange" };

const cases: Case[] = [
  {
    taskPair: "letter-number",
    keys: { left: "f", right: "j" },
    rules: ["Letter rule", "Digit rule"],
    read: async (page) => (await stimulusBox(page).innerText()).trim(),
    fits: (s, phrase) => {
      const [letter, digit] = [s[0], Number(s[1])];
      if (phrase.includes("vowel")) return "AEIOU".includes(letter);
      if (phrase.includes("consonant")) return !"AEIOU".includes(letter);
      if (phrase.includes("even")) return digit % 2 === 0;
      if (phrase.includes("odd")) return digit % 2 === 1;
      throw new Error(`Unexpected phrase: ${phrase}`);
    },
    swappedLine: /press F for a consonant \(G, K\), J for a vowel \(A, E\)\.$/,
    swappedExport: "letter: f = a consonant (G, K), j = a vowel (A, E)",
  },
  {
    taskPair: "colour-shape",
    keys: { left: "a", right: "l" },
    rules: ["Colour rule", "Shape rule"],
    read: async (page) => {
      const svg = stimulusBox(page).locator("svg");
      const shape = (await svg.locator("circle").count()) === 1 ? "circle" : "square";
      if (shape === "square") await expect(svg.locator("rect")).toHaveCount(1);
      const fill = await svg.locator("circle, rect").getAttribute("fill");
      const colour = COLOUR_NAMES[fill ?? ""];
      if (!colour) throw new Error(`Unexpected fill: ${fill}`);
      return `${colour}-${shape}`;
    },
    fits: (s, phrase) => {
      const [colour, shape] = s.split("-");
      if (phrase.endsWith("shapes")) return phrase.startsWith(colour);
      if (phrase === "circles" || phrase === "squares") return phrase === `${shape}s`;
      throw new Error(`Unexpected phrase: ${phrase}`);
    },
    swappedLine: /press A for squares, L for circles\.$/,
    swappedExport: "shape: a = squares, l = circles",
  },
];

for (const c of cases) {
  test(`${c.taskPair}: screen, stored trials, export and monitor agree on a swapped key mapping`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const researcher = await researcherPage(browser);
    const slug = `pair-${c.taskPair}-${Date.now().toString(36)}`;
    const studyId = await createOpenStudy(researcher, slug, {
      taskPair: c.taskPair,
      blocks: 2,
      trialsPerBlock: 4,
      cueMode: "cued",
      keys: c.keys,
      keyMapping: "counterbalance",
      practice: { trials: 0 },
      timing: { fixationMs: 100, responseWindowMs: 10_000, feedbackMs: 100, itiMs: 0 },
    });
    // the first participant takes the registered mapping; the second gets both rules swapped
    expect((await researcher.request.get(`/s/${slug}?participant=p1`)).status()).toBe(200);

    const context = await browser.newContext({ baseURL: new URL(researcher.url()).origin });
    const page = await context.newPage();
    await page.goto(`/s/${slug}?participant=p2`);
    await expect(page).toHaveURL(/\/run\/[A-Za-z0-9_-]+$/);
    const token = page.url().split("/run/")[1];
    const curriculum = (await progress(page, token, "curriculum")).curriculum as unknown as {
      taskPair: string;
      swapped: string[];
      trials: Trial[];
    };
    expect(curriculum.taskPair).toBe(c.taskPair);
    expect(curriculum.swapped).toHaveLength(2);

    await page.getByRole("button", { name: "I agree" }).click();
    await page.getByRole("button", { name: "Go full screen" }).click();
    // the rule lines, each with its cue label in brackets: "Letter rule (LETTER: …): press F for …"
    const lines = await Promise.all(
      c.rules.map(async (r) => (await page.locator("li", { hasText: r }).innerText()).trim()),
    );
    expect(lines.some((l) => c.swappedLine.test(l))).toBe(true);
    await pastInstructions(page);

    const pressed: string[] = [];
    for (const [i, t] of curriculum.trials.entries()) {
      const cue = page.locator(".task-trial-cue");
      await expect(cue).toBeVisible();
      const stimulus = await c.read(page);
      expect(stimulus).toBe(t.stimulus);
      const label = (await cue.innerText()).trim();
      const line = lines.find((l) => l.includes(`(${label})`));
      if (!line) throw new Error(`No rule line for the cue "${label}"`);
      const right = keyFromInstruction(line, (phrase) => c.fits(stimulus, phrase));
      // trial 1 is answered wrongly on purpose: everything downstream must call it wrong
      const key = i === 1 ? (right === c.keys.left ? c.keys.right : c.keys.left) : right;
      await page.waitForTimeout(160);
      await pressOnTrial(page, key);
      pressed.push(key);
    }
    await expect
      .poll(async () => (await progress(page, token)).status, { timeout: 30_000 })
      .toBe("completed");

    // stored trials: the keys pressed, and the screen's verdicts (all right but trial 1)
    const saved = (await progress(page, token, "trials")).trials!.filter((t) => t.phase === "main");
    expect(saved.map((t) => t.response)).toEqual(pressed);
    expect(saved.map((t) => t.correct)).toEqual(curriculum.trials.map((_, i) => i !== 1));
    await context.close();

    // the private export: the same stimuli, keys and verdicts, and the mapping in the screen's words
    const rows = await privateExportRows(researcher, studyId, "p2");
    expect(rows.map((r) => r.stimulus)).toEqual(curriculum.trials.map((t) => t.stimulus));
    expect(rows.map((r) => r.response)).toEqual(pressed);
    expect(rows.map((r) => r.correct)).toEqual(curriculum.trials.map((_, i) => String(i !== 1)));
    for (const r of rows) expect(r.keyMapping).toContain(c.swappedExport);
    expect(JSON.parse(rows[0].runConfig)).toMatchObject({ taskPair: c.taskPair });

    // the monitor's analysis: 7 of 8 correct
    const monitor = (await (
      await researcher.request.get(`/api/studies/${studyId}/runs`)
    ).json()) as { runs: { externalId: string | null; accuracy: number | null }[] };
    expect(monitor.runs.find((r) => r.externalId === "p2")?.accuracy).toBeCloseTo(7 / 8, 6);
  });
}
