// Tests: our own check of a psych-DS dataset against the rules of the psych-DS schema (the
// validator's src/setup/defaultSchema.json, "rules"): the required files and folder, data file
// names in keyword format with the official keywords only, CSV header and row lengths, a
// schema.org Dataset description with its required fields, and every CSV column described in
// variableMeasured (and nothing used that is not). Returns the problems found (none = valid).
import { parseCsv } from "./parse-csv";

/** The official psych-DS filename keywords (schema "meta.context.keywords"). */
export const PSYCH_DS_KEYWORDS = [
  "study",
  "site",
  "subject",
  "session",
  "task",
  "condition",
  "trial",
  "stimulus",
  "description",
] as const;

/** The Datafile rule's fileRegex, anchored to the whole file name. */
const DATAFILE_NAME = /^([a-z]+-[a-zA-Z0-9]+)(_[a-z]+-[a-zA-Z0-9]+)*_data\.csv$/;

/** CompiledMetadata fields: required (errors) and recommended (we require them too). */
const REQUIRED_FIELDS = ["name", "description", "variableMeasured"] as const;
const RECOMMENDED_FIELDS = ["author", "citation", "license", "keywords"] as const;

export type PsychDsProblem = { code: string; file: string; message: string };

export function validatePsychDs(files: Record<string, string>): PsychDsProblem[] {
  const problems: PsychDsProblem[] = [];
  const problem = (code: string, file: string, message: string) =>
    problems.push({ code, file, message });

  // --- dataset_description.json at the root
  const descText = files["dataset_description.json"];
  let description: Record<string, unknown> | null = null;
  if (descText === undefined)
    problem("MISSING_DATASET_DESCRIPTION", "/", "dataset_description.json is required at the root");
  else {
    try {
      description = JSON.parse(descText) as Record<string, unknown>;
    } catch {
      problem("JSON_INVALID", "dataset_description.json", "not valid JSON");
    }
  }
  if (description) {
    const context = description["@context"];
    if (typeof context !== "string" || !/^https?:\/\/schema\.org\/?$/.test(context))
      problem(
        "INVALID_JSONLD_FORMATTING",
        "dataset_description.json",
        "@context must be schema.org",
      );
    const type = description["@type"] ?? description.type;
    if (type === undefined)
      problem("MISSING_DATASET_TYPE", "dataset_description.json", "@type is missing");
    else if (type !== "Dataset")
      problem("INCORRECT_DATASET_TYPE", "dataset_description.json", `@type is ${String(type)}`);
    for (const key of [...REQUIRED_FIELDS, ...RECOMMENDED_FIELDS]) {
      const v = description[key];
      const empty =
        v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
      if (empty)
        problem(
          (REQUIRED_FIELDS as readonly string[]).includes(key)
            ? "JSON_KEY_REQUIRED"
            : "JSON_KEY_RECOMMENDED",
          "dataset_description.json",
          `${key} is missing or empty`,
        );
    }
    if (Array.isArray(description.variableMeasured)) {
      for (const [i, v] of (description.variableMeasured as Record<string, unknown>[]).entries()) {
        if (typeof v !== "object" || v === null || typeof v.name !== "string")
          problem(
            "JSON_KEY_REQUIRED",
            "dataset_description.json",
            `variableMeasured[${i}] has no name`,
          );
        else {
          if ((v["@type"] ?? v.type) !== "PropertyValue")
            problem(
              "OBJECT_TYPE_MISSING",
              "dataset_description.json",
              `${v.name}: @type PropertyValue`,
            );
          if (typeof v.description !== "string" || v.description === "")
            problem(
              "JSON_KEY_RECOMMENDED",
              "dataset_description.json",
              `${v.name}: no description`,
            );
        }
      }
    }
  }
  const measured = new Set(
    Array.isArray(description?.variableMeasured)
      ? (description.variableMeasured as { name?: unknown }[])
          .map((v) => (typeof v === "string" ? v : v?.name))
          .filter((n): n is string => typeof n === "string")
      : [],
  );

  // --- data/ and its data files
  const dataFiles = Object.keys(files).filter((f) => f.startsWith("data/") && f.endsWith(".csv"));
  if (!Object.keys(files).some((f) => f.startsWith("data/")))
    problem("MISSING_DATA_DIRECTORY", "/", "a data/ folder is required");
  let validDataFiles = 0;
  for (const path of dataFiles) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (!DATAFILE_NAME.test(name)) {
      problem(
        "FILENAME_KEYWORD_FORMATTING_ERROR",
        path,
        "not <key>-<value>(_<key>-<value>)*_data.csv",
      );
      continue;
    }
    const keys = name
      .replace(/_data\.csv$/, "")
      .split("_")
      .map((pair) => pair.slice(0, pair.indexOf("-")));
    for (const k of keys)
      if (!(PSYCH_DS_KEYWORDS as readonly string[]).includes(k))
        problem("FILENAME_UNOFFICIAL_KEYWORD_ERROR", path, `"${k}" is not an official keyword`);
    if (new Set(keys).size !== keys.length)
      problem("FILENAME_KEYWORD_FORMATTING_ERROR", path, "a keyword is repeated");

    const text = files[path];
    if (text.length === 0) {
      problem("FILE_EMPTY", path, "empty file");
      continue;
    }
    const rows = parseCsv(text.replace(/^\uFEFF/, ""));
    const header = rows[0] ?? [];
    if (header.length === 0 || header.every((h) => h === "")) {
      problem("CSV_HEADER_MISSING", path, "no header row");
      continue;
    }
    if (new Set(header).size !== header.length)
      problem("CSV_FORMATTING_ERROR", path, "repeated column name");
    rows.slice(1).forEach((row, i) => {
      if (row.length !== header.length)
        problem(
          "CSV_HEADER_LENGTH_MISMATCH",
          path,
          `row ${i + 2} has ${row.length} cells, the header ${header.length}`,
        );
    });
    const missing = header.filter((h) => !measured.has(h));
    if (missing.length > 0)
      problem(
        "CSV_COLUMN_MISSING_FROM_METADATA",
        path,
        `not in variableMeasured: ${missing.join(", ")}`,
      );
    const rowIds = header.indexOf("row_id");
    if (rowIds >= 0) {
      const ids = rows.slice(1).map((r) => r[rowIds]);
      if (new Set(ids).size !== ids.length)
        problem("ROWID_VALUES_NOT_UNIQUE", path, "row_id values repeat");
    }
    validDataFiles++;
  }
  if (validDataFiles === 0)
    problem("MISSING_DATAFILE", "data/", "at least one valid CSV data file is required");
  return problems;
}
