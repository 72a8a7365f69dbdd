// The study form's condition rows: flat fields "config.conditions.<i>.<field>", an empty override
// keeps the base setting, and each refused value lands on its row's field.
import { studyConfigSchema } from "./study-config";
import {
  conditionFieldName,
  configFromForm,
  formDataFromValues,
  formValuesFromFormData,
  studyFormValues,
  studyInputFromForm,
  studyWarnings,
} from "./study-form";

const config = studyConfigSchema.parse({
  blocks: 12,
  trialsPerBlock: 8,
  keyMapping: "counterbalance",
  conditions: [
    { name: "short" },
    { name: "long", blocks: 2, trialsPerBlock: 48, cueMode: "cued", timing: { itiMs: 100 } },
  ],
});

describe("study form condition rows", () => {
  it("round-trips conditions through the form unchanged, empty fields meaning 'as base'", () => {
    const values = studyFormValues({ title: "T", slug: "t", config });
    expect(values[conditionFieldName(1, "trialsPerBlock")]).toBe("48");
    expect(values[conditionFieldName(0, "trialsPerBlock")]).toBe("");
    expect(values[conditionFieldName(1, "timing.itiMs")]).toBe("100");
    const fd = formDataFromValues(values);
    expect(studyConfigSchema.parse(studyInputFromForm(fd).config)).toEqual(config);
    expect(formValuesFromFormData(fd)).toEqual(values);
  });

  it("puts each condition's refused value on that row's field, in words", () => {
    const values = studyFormValues({ title: "T", slug: "t", config });
    const r = configFromForm(
      formDataFromValues({
        ...values,
        [conditionFieldName(1, "trialsPerBlock")]: "abc",
        [conditionFieldName(0, "timing.responseWindowMs")]: "50",
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[conditionFieldName(1, "trialsPerBlock")]).toMatch(
      /Trials per block must be a whole number from 4 to 200/,
    );
    expect(r.errors[conditionFieldName(0, "timing.responseWindowMs")]).toMatch(/Response window/);
    // whole-study checks (unique names) follow once every field is valid
    const dup = configFromForm(
      formDataFromValues({ ...values, [conditionFieldName(0, "name")]: "long" }),
    );
    expect(dup.ok ? {} : dup.errors).toEqual({
      [conditionFieldName(1, "name")]: 'Two conditions are called "long"',
    });
  });

  it("a form without condition rows gives a study without conditions", () => {
    const plain = studyConfigSchema.parse({});
    const fd = formDataFromValues(studyFormValues({ title: "T", slug: "t", config: plain }));
    expect(studyInputFromForm(fd).config.conditions).toEqual([]);
  });

  it("warns about a very long condition on its own row", () => {
    const long = studyConfigSchema.parse({
      blocks: 4,
      conditions: [{ name: "huge", blocks: 100, trialsPerBlock: 200 }],
    });
    const w = studyWarnings(long);
    expect(w[conditionFieldName(0, "trialsPerBlock")]).toMatch(/very long study/);
    expect(w["config.trialsPerBlock"]).toBeUndefined();
  });
});
