// The study form's flat field names are the config paths ("config.timing.fixationMs"), so a zod
// issue path names the field it belongs to. These functions convert between the nested
// StudyConfig and the flat form, using the defaults' value types to know what each field holds.
import { estimateDuration, LONG_STUDY_MINUTES } from "./duration";
import { effectiveConfig } from "./conditions";
import {
  CONDITION_FIELDS,
  defaultStudyConfig,
  studyConfigSchema,
  type ConditionField,
  type StudyConfig,
} from "./study-config";

export type StudyFormValue = string | boolean | string[];
export type StudyFormValues = Record<string, StudyFormValue>;

type Leaf = { path: string; kind: "number" | "boolean" | "string" | "list" };

function leavesOf(value: unknown, prefix: string): Leaf[] {
  if (Array.isArray(value)) return [{ path: prefix, kind: "list" }];
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leavesOf(v, `${prefix}.${k}`));
  }
  const kind =
    typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string";
  return [{ path: prefix, kind }];
}

/**
 * Every config field of the form, with its kind (from the science defaults). The conditions are a
 * list of rows with fields of their own (conditionFieldName), not one field.
 */
export const CONFIG_FIELDS: readonly Leaf[] = leavesOf(defaultStudyConfig(), "config").filter(
  (f) => f.path !== "config.conditions",
);

/** The form field of condition `i`'s name or override ("config.conditions.0.trialsPerBlock"). */
export function conditionFieldName(i: number, field: ConditionField | "name"): string {
  return `config.conditions.${i}.${field}`;
}

/** A condition field's kind: that of the base field it overrides. */
function conditionFieldKind(field: ConditionField): Leaf["kind"] {
  return CONFIG_FIELDS.find((f) => f.path === `config.${field}`)!.kind;
}

/** The positions of the condition rows a form holds (each row has a name field). */
function conditionRows(names: Iterable<string>): number[] {
  const rows = new Set<number>();
  for (const name of names) {
    const m = /^config\.conditions\.(\d+)\.name$/.exec(name);
    if (m) rows.add(Number(m[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

/** A typed number, or the raw text when it does not parse (so the schema reports it on its field). */
function formNumber(raw: string): number | string {
  const trimmed = raw.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : raw;
}

function getPath(obj: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
}

/** The form's values for a study (or for a new one: defaults, empty title and slug). */
export function studyFormValues(study: {
  title: string;
  slug: string;
  config: StudyConfig;
}): StudyFormValues {
  const values: StudyFormValues = { title: study.title, slug: study.slug };
  for (const { path, kind } of CONFIG_FIELDS) {
    const v = getPath({ config: study.config }, path);
    values[path] =
      kind === "boolean"
        ? Boolean(v)
        : kind === "list"
          ? ((v as unknown[]) ?? []).map(String)
          : v === undefined
            ? ""
            : String(v);
  }
  study.config.conditions.forEach((condition, i) => {
    values[conditionFieldName(i, "name")] = condition.name;
    for (const field of CONDITION_FIELDS) {
      const v = getPath(condition, field);
      values[conditionFieldName(i, field)] = v === undefined ? "" : String(v);
    }
  });
  return values;
}

/** The FormData a form showing `values` would submit (unticked boxes are left out, as browsers do). */
export function formDataFromValues(values: StudyFormValues): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) {
    if (v === true) fd.append(k, "on");
    else if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
    else if (typeof v === "string") fd.append(k, v);
  }
  return fd;
}

/** What the researcher typed, as flat values (to redisplay the form after a refusal). */
export function formValuesFromFormData(fd: FormData): StudyFormValues {
  const values: StudyFormValues = {
    title: String(fd.get("title") ?? ""),
    slug: String(fd.get("slug") ?? ""),
  };
  for (const { path, kind } of CONFIG_FIELDS) {
    values[path] =
      kind === "boolean"
        ? fd.has(path)
        : kind === "list"
          ? fd.getAll(path).map(String)
          : String(fd.get(path) ?? "");
  }
  for (const i of conditionRows(fd.keys()))
    for (const field of ["name" as const, ...CONDITION_FIELDS])
      values[conditionFieldName(i, field)] = String(fd.get(conditionFieldName(i, field)) ?? "");
  return values;
}

/** The condition rows of a submitted form; an empty override field means "as the base config". */
function conditionsFromForm(fd: FormData) {
  return conditionRows(fd.keys()).map((i) => {
    const condition: Record<string, unknown> = {
      name: String(fd.get(conditionFieldName(i, "name")) ?? "").trim(),
    };
    for (const field of CONDITION_FIELDS) {
      const raw = String(fd.get(conditionFieldName(i, field)) ?? "");
      if (raw.trim() === "") continue;
      setPath(condition, field, conditionFieldKind(field) === "number" ? formNumber(raw) : raw);
    }
    return condition;
  });
}

/**
 * The request body for createStudy/updateStudy from a submitted form. Numbers that do not parse
 * stay strings, so the schema reports them on their field instead of silently using a default.
 */
export function studyInputFromForm(fd: FormData) {
  const config: Record<string, unknown> = {};
  for (const { path, kind } of CONFIG_FIELDS) {
    const key = path.slice("config.".length);
    if (kind === "boolean") setPath(config, key, fd.has(path));
    else if (kind === "list") setPath(config, key, fd.getAll(path).map(String));
    else {
      const raw = String(fd.get(path) ?? "");
      setPath(config, key, kind === "number" ? formNumber(raw) : raw);
    }
  }
  config.conditions = conditionsFromForm(fd);
  return {
    title: String(fd.get("title") ?? ""),
    slug: String(fd.get("slug") ?? ""),
    config,
    ...(fd.has("acknowledgeExistingRuns") ? { acknowledgeExistingRuns: true } : {}),
  };
}

/** Issues from the API layer keyed by field name, in words a researcher understands. */
export function fieldErrorsFrom(issues: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(issues)) return errors;
  for (const issue of issues as { path?: string; message?: string }[]) {
    // the schema's messages are written for researchers (lib/core/study-config.ts); an issue
    // about one item of a list ("config.model.presets.0") belongs to the list's field
    const path = (issue.path ?? "").replace(/(\.\d+)+$/, "");
    errors[path] ??= issue.message ?? "Invalid value";
  }
  return errors;
}

/**
 * Things a researcher should look at that are allowed all the same, keyed by field name: no
 * consent text, no model presets, a very long study (with the estimate).
 */
export function studyWarnings(config: StudyConfig): Record<string, string> {
  const warnings: Record<string, string> = {};
  if (config.consentText.trim() === "")
    warnings["config.consentText"] =
      "Participants will be asked to agree without any consent text. Most ethics approvals need one.";
  if (config.model.presets.length === 0)
    warnings["config.model.presets"] =
      "No model preset: no model will learn your participants' curricula, and the dashboard will show humans only.";
  const long = (c: StudyConfig) => {
    const d = estimateDuration(c);
    return d.minutes > LONG_STUDY_MINUTES
      ? `A very long study: about ${d.minutes} minutes for ${d.mainTrials.toLocaleString("en")} main trials (up to ${d.maxMinutes} with every practice attempt). Attention drops in long sessions; consider fewer blocks or trials.`
      : null;
  };
  const baseLong = long(config);
  if (baseLong) warnings["config.trialsPerBlock"] = baseLong;
  config.conditions.forEach((c, i) => {
    const conditionLong = long(effectiveConfig(config, c.name));
    if (conditionLong) warnings[conditionFieldName(i, "trialsPerBlock")] = conditionLong;
  });
  return warnings;
}

/**
 * What the form currently describes, for the live preview: the config if it is valid, else the
 * fields' messages (the same the server would give).
 */
export function configFromForm(
  fd: FormData,
): { ok: true; config: StudyConfig } | { ok: false; errors: Record<string, string> } {
  const r = studyConfigSchema.safeParse(studyInputFromForm(fd).config);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: fieldErrorsFrom(
      r.error.issues.map((i) => ({ path: ["config", ...i.path].join("."), message: i.message })),
    ),
  };
}

type SchemaNode = { _zod: { def: Record<string, unknown> & { type: string } } };

/**
 * The allowed values of a choice field, read from StudyConfig itself ("config.cueMode" →
 * ["none", "cued"]; a list of choices gives its items' values), so the form's options cannot
 * drift from what the schema accepts.
 */
export function choicesOf(path: string): readonly string[] {
  const values = choiceValues(path);
  if (!values) throw new Error(`${path} is not a choice field`);
  return values;
}

/** Whether a field is a choice (enum) in StudyConfig, or a list of choices. */
export const isChoiceField = (path: string) => choiceValues(path) !== null;

function choiceValues(path: string): readonly string[] | null {
  let node = studyConfigSchema as unknown as SchemaNode;
  const unwrap = () => {
    for (;;) {
      const def = node._zod.def;
      if (def.type === "default" || def.type === "prefault" || def.type === "optional")
        node = def.innerType as SchemaNode;
      else if (def.type === "array") node = def.element as SchemaNode;
      else return;
    }
  };
  for (const key of path.replace(/^config\./, "").split(".")) {
    unwrap();
    const shape = node._zod.def.shape as Record<string, SchemaNode> | undefined;
    if (!shape?.[key]) throw new Error(`${path} is not a StudyConfig field`);
    node = shape[key];
  }
  unwrap();
  if (node._zod.def.type !== "enum") return null;
  return Object.values(node._zod.def.entries as Record<string, string>);
}
