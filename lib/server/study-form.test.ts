import { defaultStudyConfig, studyConfigSchema } from "@/lib/core/study-config";

import {
  CONFIG_FIELDS,
  fieldErrorsFrom,
  formValuesFromFormData,
  studyFormValues,
  studyInputFromForm,
} from "./study-form";

function formDataOf(values: Record<string, string | boolean | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) {
    if (v === true) fd.append(k, "on");
    else if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
    else if (typeof v === "string") fd.append(k, v);
  }
  return fd;
}

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
    expect(errors["config.blocks"]).toBe("Enter a number");
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
