import { CONFIG_FIELDS } from "@/lib/core/study-form";

import { sections } from "./study-form";

describe("study form fields", () => {
  it("has exactly one field per StudyConfig field (besides title and slug)", () => {
    const names = sections({ A: "parity", B: "magnitude" }, false).flatMap((s) =>
      s.fields.map((f) => f.name),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith("config.")).sort()).toEqual(
      CONFIG_FIELDS.map((f) => f.path).sort(),
    );
    expect(names.filter((n) => !n.startsWith("config."))).toEqual(["title", "slug"]);
  });
});
