// The study form's flat field names are the config paths ("config.timing.fixationMs"), so a zod
// issue path names the field it belongs to. These functions convert between the nested
// StudyConfig and the flat form, using the defaults' value types to know what each field holds.
import { estimateDuration, LONG_STUDY_MINUTES } from "./duration";
import { defaultStudyConfig, studyConfigSchema, type StudyConfig } from "./study-config";

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

/** Every config field of the form, with its kind (from the science defaults). */
export const CONFIG_FIELDS: readonly Leaf[] = leavesOf(defaultStudyConfig(), "config");

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
  return values;
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
      const trimmed = raw.trim();
      setPath(
        config,
        key,
        kind === "number"
          ? trimmed !== "" && Number.isFinite(Number(trimmed))
            ? Number(trimmed)
            : raw
          : raw,
      );
    }
  }
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
  const d = estimateDuration(config);
  if (d.minutes > LONG_STUDY_MINUTES)
    warnings["config.trialsPerBlock"] =
      `A very long study: about ${d.minutes} minutes for ${d.mainTrials.toLocaleString("en")} main trials (up to ${d.maxMinutes} with every practice attempt). Attention drops in long sessions; consider fewer blocks or trials.`;
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
  if (node._zod.def.type !== "enum") throw new Error(`${path} is not a choice field`);
  return Object.values(node._zod.def.entries as Record<string, string>);
}
