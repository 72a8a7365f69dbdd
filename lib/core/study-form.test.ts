import {
  STUDY_FORM_FIELDS,
  defaultStudyConfig,
  fieldLabel,
  studyConfigSchema,
} from "./study-config";
import { estimateDuration } from "./duration";

import {
  CONFIG_FIELDS,
  choicesOf,
  configFromForm,
  fieldErrorsFrom,
  formDataFromValues,
  formValuesFromFormData,
  isChoiceField,
  studyWarnings,
  studyFormValues,
  studyInputFromForm,
} from "./study-form";

const formDataOf = formDataFromValues;

describe("study form mapping", () => {
  it("covers every config field, nested ones included", () => {
    const paths = CONFIG_FIELDS.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "config.blocks",
        "config.timing.fixationMs",
        "config.keys.left",
        "config.model.presets",
        "config.model.runInParticipantBrowser",
        "config.recruitment.redirectUrl",
      ]),
    );
  });

  it("round-trips a config through the form unchanged", () => {
    const config = studyConfigSchema.parse({
      blocks: 7,
      cueMode: "cued",
      model: { presets: ["forgetful"], runInParticipantBrowser: true },
      practice: { minAccuracy: 0.5 },
    });
    const fd = formDataOf(studyFormValues({ title: "T", slug: "t-1", config }));
    const input = studyInputFromForm(fd);
    expect(input).toMatchObject({ title: "T", slug: "t-1" });
    expect(studyConfigSchema.parse(input.config)).toEqual(config);
    expect(input).not.toHaveProperty("acknowledgeExistingRuns");
  });

  it("keeps unparseable numbers as text so validation reports them on their field", () => {
    const values = studyFormValues({ title: "T", slug: "t", config: defaultStudyConfig() });
    values["config.blocks"] = "";
    values["config.timing.itiMs"] = "abc";
    values["config.model.runInParticipantBrowser"] = false;
    const input = studyInputFromForm(formDataOf(values));
    const r = studyConfigSchema.safeParse(input.config);
    expect(r.success).toBe(false);
    const errors = fieldErrorsFrom(
      r.error!.issues.map((i) => ({ path: `config.${i.path.join(".")}`, message: i.message })),
    );
    expect(errors["config.blocks"]).toBe("Blocks must be a whole number from 2 to 100");
    expect(errors["config.timing.itiMs"]).toMatch(/Inter-trial interval/);
    expect(
      (input.config as { model: { runInParticipantBrowser: boolean } }).model
        .runInParticipantBrowser,
    ).toBe(false);
  });

  it("redisplays what was typed, checkboxes and lists included", () => {
    const fd = formDataOf({
      title: "x",
      slug: "bad slug",
      "config.blocks": "-3",
      "config.model.presets": ["flexible"],
      "config.model.runInParticipantBrowser": true,
    });
    const values = formValuesFromFormData(fd);
    expect(values).toMatchObject({
      slug: "bad slug",
      "config.blocks": "-3",
      "config.model.presets": ["flexible"],
      "config.model.runInParticipantBrowser": true,
      "config.feedback": "",
    });
  });
});

describe("study form messages and warnings", () => {
  // Values a researcher might type into any field: every refusal must read as a sentence about
  // that field, never zod's wording ("Invalid input: expected int, received number").
  const typos = ["", "abc", "0", "-1", "1.5", "99999999999", "1e3", "F", "ftp://x", "x".repeat(70)];
  const zodWording = /Invalid (input|option)|expected|received|Too (big|small)|NaN/;

  it("answers every kind of typo in every field with a human message on that field", () => {
    const defaults = studyFormValues({ title: "T", slug: "t", config: defaultStudyConfig() });
    let refused = 0;
    for (const { path, kind } of CONFIG_FIELDS) {
      if (kind === "boolean") continue;
      for (const typo of typos) {
        const values = { ...defaults, [path]: kind === "list" ? [typo] : typo };
        const r = configFromForm(formDataOf(values));
        if (r.ok) continue;
        refused++;
        const messages = Object.entries(r.errors);
        expect(messages.length, `${path} = ${JSON.stringify(typo)}`).toBeGreaterThan(0);
        for (const [field, message] of messages) {
          expect(field, `${path} = ${JSON.stringify(typo)}: ${message}`).toBe(
            field === "config.keys.right" && path === "config.keys.left" ? field : path,
          );
          expect(message, `${path} = ${JSON.stringify(typo)}`).not.toMatch(zodWording);
        }
      }
    }
    expect(refused).toBeGreaterThan(60);
  });

  it("accepts 0 where 0 is allowed (no practice, no breaks, no fixation)", () => {
    const values = studyFormValues({ title: "T", slug: "t", config: defaultStudyConfig() });
    for (const f of [
      "config.practice.trials",
      "config.breakEveryBlocks",
      "config.timing.fixationMs",
    ])
      values[f] = "0";
    const r = configFromForm(formDataOf(values));
    expect(r.ok).toBe(true);
  });

  it("warns (without refusing) about an empty consent, no presets and a very long study", () => {
    expect(studyWarnings(defaultStudyConfig())).toEqual({});
    const config = studyConfigSchema.parse({
      blocks: 100,
      trialsPerBlock: 200,
      consentText: "  ",
      model: { presets: [] },
    });
    const w = studyWarnings(config);
    expect(Object.keys(w).sort()).toEqual([
      "config.consentText",
      "config.model.presets",
      "config.trialsPerBlock",
    ]);
    const minutes = estimateDuration(config).minutes;
    expect(minutes).toBeGreaterThan(600);
    expect(w["config.trialsPerBlock"]).toContain(`about ${minutes} minutes`);
    expect(w["config.trialsPerBlock"]).toContain("20,000 main trials");
  });
});

describe("choicesOf", () => {
  it("reads a choice field's values from StudyConfig, lists of choices included", () => {
    expect(choicesOf("config.cueMode")).toEqual(["none", "cued"]);
    expect(choicesOf("config.practice.onFail")).toEqual(["continue", "end"]);
    expect(choicesOf("config.model.presets")).toEqual(["flexible", "forgetful"]);
    expect(() => choicesOf("config.blocks")).toThrow(/not a choice field/);
    expect(() => choicesOf("config.nope")).toThrow(/not a StudyConfig field/);
  });
});

describe("STUDY_FORM_FIELDS (the form's labels beside the schema)", () => {
  it("has exactly one entry per StudyConfig leaf, so a new field cannot be missing from the form", () => {
    expect(
      Object.keys(STUDY_FORM_FIELDS)
        .map((p) => `config.${p}`)
        .sort(),
    ).toEqual(CONFIG_FIELDS.map((f) => f.path).sort());
  });

  it("labels every value of every choice field it labels, and only values the schema allows", () => {
    for (const [path, meta] of Object.entries(STUDY_FORM_FIELDS)) {
      if (!meta.options) continue;
      expect(Object.keys(meta.options).sort(), path).toEqual(
        [...choicesOf(`config.${path}`)].sort(),
      );
    }
  });

  it("gives every field its own label, the unit in brackets", () => {
    const labels = Object.values(STUDY_FORM_FIELDS).map(fieldLabel);
    expect(new Set(labels).size).toBe(labels.length);
    expect(fieldLabel(STUDY_FORM_FIELDS["timing.fixationMs"])).toBe("Fixation (ms)");
    expect(isChoiceField("config.cueMode")).toBe(true);
    expect(isChoiceField("config.seed")).toBe(false);
  });
});
