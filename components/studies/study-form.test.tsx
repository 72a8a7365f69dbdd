import { TASK_PAIR_IDS } from "@/lib/core/study-config";
import { CONFIG_FIELDS } from "@/lib/core/study-form";
import { taskPairs } from "@/lib/core/task-pairs";

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

  it("offers every registered task pair by its title", () => {
    const field = sections({ A: "parity", B: "magnitude" }, false)
      .flatMap((s) => s.fields)
      .find((f) => f.name === "config.taskPair");
    expect(field?.kind === "select" ? field.options : []).toEqual(
      TASK_PAIR_IDS.map((id) => ({ value: id, label: taskPairs[id].title })),
    );
  });
});
