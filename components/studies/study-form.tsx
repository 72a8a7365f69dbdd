"use client";
// The study settings form. Field names are config paths ("config.timing.fixationMs"), so the
// server's validation issues land next to the field they are about. The server decides what is
// saved (one set of rules for the form and the API); while the researcher types, the same schema
// runs here to keep the curriculum preview, the duration estimate and the warnings (empty consent,
// no model preset, a very long study) in step with the form.
import { useActionState, useMemo, useRef, useState, type ReactNode } from "react";

import { computeCurriculumPreview } from "@/lib/core/curriculum-preview";
import {
  CONDITION_FIELDS,
  STUDY_FORM_FIELDS,
  STUDY_FORM_SECTIONS,
  type StudyConfigPath,
  fieldLabel,
} from "@/lib/core/study-config";
import { taskPairs } from "@/lib/core/task-pairs";
import {
  CONFIG_FIELDS,
  choicesOf,
  conditionFieldName,
  configFromForm,
  formDataFromValues,
  isChoiceField,
  studyWarnings,
} from "@/lib/core/study-form";

import { CurriculumPreview } from "./curriculum-preview";

type Value = string | boolean | string[];
export type StudyFormState = {
  values: Record<string, Value>;
  errors: Record<string, string>;
  message: string | null;
  attempt: number;
};

type Option = { value: string; label: string };
type Field =
  | {
      name: string;
      label: string;
      kind: "text" | "number" | "url" | "textarea";
      help?: string;
      step?: string;
      wide?: boolean;
      readOnly?: boolean;
    }
  | { name: string; label: string; kind: "select"; options: Option[]; help?: string }
  | { name: string; label: string; kind: "checkbox"; help?: string }
  | {
      name: string;
      label: string;
      kind: "checkboxes";
      options: Option[];
      help?: string;
      wide?: boolean;
    };

type Section = { legend: string; fields: Field[]; note?: string };

const CONDITIONS_LEGEND: (typeof STUDY_FORM_SECTIONS)[number]["legend"] =
  "Conditions and counterbalancing";
/** At most this many conditions (StudyConfig.conditions). */
const MAX_CONDITIONS = 8;

/** A choice field's options: the values StudyConfig allows, each with its label from the field's metadata. */
function choices(path: string, labels: Record<string, string>, tasks: { A: string; B: string }) {
  return choicesOf(path).map((value) => ({
    value,
    label: (labels[value] ?? value).replace("{A}", tasks.A).replace("{B}", tasks.B),
  }));
}

/** The task pairs' titles (lib/core/task-pairs.ts): the option labels of the task-pair fields. */
const PAIR_TITLES = Object.fromEntries(Object.values(taskPairs).map((p) => [p.id, p.title]));

/** One StudyConfig field as a form control, from its metadata and its kind in the schema. */
function configField(path: StudyConfigPath, tasks: { A: string; B: string }): Field {
  const meta =
    path === "taskPair"
      ? { ...STUDY_FORM_FIELDS[path], options: PAIR_TITLES }
      : STUDY_FORM_FIELDS[path];
  const name = `config.${path}`;
  const label = fieldLabel(meta);
  const { help, wide } = meta;
  const kind = CONFIG_FIELDS.find((f) => f.path === name)!.kind;
  if (kind === "list")
    return {
      name,
      label,
      kind: "checkboxes",
      help,
      wide,
      options: choices(name, meta.options ?? {}, tasks),
    };
  if (kind === "boolean") return { name, label, kind: "checkbox", help };
  if (kind === "string" && isChoiceField(name))
    return { name, label, kind: "select", help, options: choices(name, meta.options ?? {}, tasks) };
  return {
    name,
    label,
    kind: kind === "number" ? "number" : (meta.control ?? "text"),
    help,
    step: meta.step,
    wide,
  };
}

/**
 * The form's sections and fields: title and slug, then every StudyConfig field from its metadata
 * (lib/core/study-config.ts STUDY_FORM_FIELDS), so a field added to StudyConfig appears here.
 */
export function sections(taskLabels: { A: string; B: string }, slugLocked: boolean): Section[] {
  const paths = Object.keys(STUDY_FORM_FIELDS) as StudyConfigPath[];
  return [
    {
      legend: "Study",
      fields: [
        { name: "title", label: "Title", kind: "text", help: "Shown to you, not to participants." },
        {
          name: "slug",
          label: "Slug",
          kind: "text",
          readOnly: slugLocked,
          help: slugLocked
            ? "Fixed: participants already used the link /s/<slug>."
            : "The participant link becomes /s/<slug>. Lower-case letters, digits, hyphens.",
        },
      ],
    },
    ...STUDY_FORM_SECTIONS.map((section): Section => ({
      legend: section.legend,
      note: "note" in section ? section.note : undefined,
      fields: paths
        .filter((p) => STUDY_FORM_FIELDS[p].section === section.legend)
        .map((p) => configField(p, taskLabels)),
    })),
  ];
}

function FieldView({
  field,
  value,
  error,
  warning,
}: {
  field: Field;
  value: Value | undefined;
  error?: string;
  warning?: string;
}) {
  const id = `f-${field.name.replace(/\./g, "-")}`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const warningId = `${id}-warning`;
  const describedBy =
    [field.help ? helpId : null, error ? errorId : null, warning ? warningId : null]
      .filter(Boolean)
      .join(" ") || undefined;
  const wide = "wide" in field && field.wide;
  const errorLine = (
    <>
      {error ? (
        <span id={errorId} className="r-field-error" data-testid={`error-${field.name}`}>
          {error}
        </span>
      ) : null}
      {warning ? (
        <span id={warningId} className="r-field-warning" data-testid={`warning-${field.name}`}>
          {warning}
        </span>
      ) : null}
    </>
  );
  const help = field.help ? (
    <span id={helpId} className="r-help">
      {field.help}
    </span>
  ) : null;

  if (field.kind === "checkbox") {
    return (
      <div className={`r-field${wide ? " r-wide" : ""}${error ? " r-invalid" : ""}`}>
        <label className="r-check">
          <input
            id={id}
            type="checkbox"
            name={field.name}
            defaultChecked={value === true}
            aria-describedby={describedBy}
          />
          <span>{field.label}</span>
        </label>
        {help}
        {errorLine}
      </div>
    );
  }
  if (field.kind === "checkboxes") {
    const checked = Array.isArray(value) ? value : [];
    return (
      <fieldset
        className={`r-field${wide ? " r-wide" : ""}${error ? " r-invalid" : ""}`}
        style={{ border: "none", padding: 0, margin: 0 }}
      >
        <span>{field.label}</span>
        <div className="row">
          {field.options.map((o) => (
            <label key={o.value} className="r-check">
              <input
                type="checkbox"
                name={field.name}
                value={o.value}
                defaultChecked={checked.includes(o.value)}
              />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
        {help}
        {errorLine}
      </fieldset>
    );
  }
  let control: ReactNode;
  const text = typeof value === "string" ? value : "";
  if (field.kind === "select") {
    control = (
      <select
        id={id}
        name={field.name}
        defaultValue={text}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy}
      >
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === "textarea") {
    control = (
      <textarea
        id={id}
        name={field.name}
        defaultValue={text}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy}
      />
    );
  } else {
    // type="number" would let the browser swallow bad input silently; text + inputMode keeps it visible for the server to report.
    control = (
      <input
        id={id}
        name={field.name}
        type={field.kind === "number" ? "text" : field.kind}
        inputMode={field.kind === "number" ? "decimal" : undefined}
        defaultValue={text}
        readOnly={field.readOnly}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy}
      />
    );
  }
  // The <label> holds only the field's name, so its accessible name is exactly that; help and
  // error are linked through aria-describedby.
  return (
    <div className={`r-field${wide ? " r-wide" : ""}${error ? " r-invalid" : ""}`}>
      <label htmlFor={id}>{field.label}</label>
      {control}
      {help}
      {errorLine}
    </div>
  );
}

/** Condition `i`'s fields: its name, then one override per CONDITION_FIELDS entry (empty = base). */
function conditionFields(i: number, base: Section[]): Field[] {
  const baseField = (path: string) =>
    base.flatMap((s) => s.fields).find((f) => f.name === `config.${path}`);
  return [
    {
      name: conditionFieldName(i, "name"),
      label: "Name",
      kind: "text",
      help: "Letters, digits, - and _; shown in exports and pilot links.",
    },
    ...CONDITION_FIELDS.map((field): Field => {
      const name = conditionFieldName(i, field);
      const label = fieldLabel(STUDY_FORM_FIELDS[field]);
      const b = baseField(field);
      return b?.kind === "select"
        ? { name, label, kind: "select", options: [{ value: "", label: "As base" }, ...b.options] }
        : { name, label, kind: "number" };
    }),
  ];
}

/**
 * The condition rows: each a name and the settings it changes. Rows are numbered by position, so
 * the server's messages ("config.conditions.1.trialsPerBlock") land on the row they are about.
 */
function ConditionsEditor({
  values,
  errors,
  warnings,
  base,
  onChange,
}: {
  values: Record<string, Value>;
  errors: Record<string, string>;
  warnings: Record<string, string>;
  base: Section[];
  onChange: () => void;
}) {
  // Row ids: the rows the server sent keep their position as id (their values are stored under
  // it); added rows get new ids and start empty.
  const [initialRows] = useState(
    () => Object.keys(values).filter((k) => /^config\.conditions\.\d+\.name$/.test(k)).length,
  );
  const [rows, setRows] = useState(() => Array.from({ length: initialRows }, (_, i) => i));
  const [nextId, setNextId] = useState(initialRows);
  const change = (next: number[]) => {
    setRows(next);
    // the live preview and warnings follow once the rows are in the DOM
    setTimeout(onChange, 0);
  };
  return (
    <div className="r-wide" data-testid="conditions">
      <p className="r-help" style={{ marginTop: 0 }}>
        Without conditions every participant gets the settings above. With conditions, each
        participant is assigned one (between participants); a condition changes only the settings
        you fill in — an empty field keeps the base setting.
      </p>
      {errors["config.conditions"] ? (
        <span className="r-field-error" data-testid="error-config.conditions">
          {errors["config.conditions"]}
        </span>
      ) : null}
      {rows.map((id, i) => (
        <fieldset key={id} data-testid={`condition-${i}`}>
          <legend>Condition {i + 1}</legend>
          <div className="r-grid">
            {conditionFields(i, base).map((f, k) => (
              <FieldView
                key={k}
                field={f}
                value={id < initialRows ? values[conditionFields(id, base)[k].name] : undefined}
                error={errors[f.name]}
                warning={warnings[f.name]}
              />
            ))}
          </div>
          <button
            type="button"
            className="button secondary"
            onClick={() => change(rows.filter((r) => r !== id))}
          >
            Remove condition {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="button secondary"
        disabled={rows.length >= MAX_CONDITIONS}
        onClick={() => {
          change([...rows, nextId]);
          setNextId(nextId + 1);
        }}
      >
        Add condition
      </button>
    </div>
  );
}

export function StudyForm({
  action,
  initial,
  submitLabel,
  taskLabels,
  participantRuns = 0,
  slugLocked = false,
}: {
  action: (state: StudyFormState, fd: FormData) => Promise<StudyFormState>;
  initial: StudyFormState;
  submitLabel: string;
  taskLabels: { A: string; B: string };
  /** Participant runs that already exist: a config change must then be confirmed. */
  participantRuns?: number;
  slugLocked?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, initial);
  const formRef = useRef<HTMLFormElement>(null);
  // What the form shows now (typed, not yet saved); starts from the values the server sent.
  const [live, setLive] = useState(() => configFromForm(formDataFromValues(state.values)));
  const [liveFor, setLiveFor] = useState(state.attempt);
  if (liveFor !== state.attempt) {
    // a refused save remounts the form with the submitted values: follow them
    setLiveFor(state.attempt);
    setLive(configFromForm(formDataFromValues(state.values)));
  }
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onFormChange = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (formRef.current) setLive(configFromForm(new FormData(formRef.current)));
    }, 150);
  };
  const warnings = live.ok ? studyWarnings(live.config) : {};
  // "First task" names the tasks of the pair chosen now, not the one the page was loaded with
  const livePair = live.ok ? taskPairs[live.config.taskPair].tasks : null;
  const labels = livePair ? { A: livePair[0].id, B: livePair[1].id } : taskLabels;
  const preview = useMemo(() => (live.ok ? computeCurriculumPreview(live.config) : null), [live]);
  const known = new Set(sections(labels, slugLocked).flatMap((s) => s.fields.map((f) => f.name)));
  const stray = Object.entries(state.errors).filter(
    ([path]) =>
      !known.has(path) &&
      path !== "acknowledgeExistingRuns" &&
      !path.startsWith("config.conditions"),
  );
  return (
    // key: remount after each refused attempt so inputs show the values the server sent back.
    <>
      <form
        key={state.attempt}
        ref={formRef}
        action={formAction}
        onChange={onFormChange}
        onInput={onFormChange}
        className="r-form"
        noValidate
        data-testid="study-form"
      >
        {state.message ? (
          <div className="r-error-box" role="alert" data-testid="form-message">
            <p style={{ margin: 0 }}>{state.message}</p>
            {stray.length > 0 ? (
              <ul>
                {stray.map(([path, message]) => (
                  <li key={path}>
                    {path ? `${path}: ` : ""}
                    {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {sections(labels, slugLocked).map((section) => (
          <fieldset key={section.legend}>
            <legend>{section.legend}</legend>
            {section.note ? <p className="muted">{section.note}</p> : null}
            <div className="r-grid">
              {section.fields.map((f) => (
                <FieldView
                  key={f.name}
                  field={f}
                  value={state.values[f.name]}
                  error={state.errors[f.name]}
                  warning={warnings[f.name]}
                />
              ))}
              {section.legend === CONDITIONS_LEGEND ? (
                <ConditionsEditor
                  values={state.values}
                  errors={state.errors}
                  warnings={warnings}
                  base={sections(labels, slugLocked)}
                  onChange={onFormChange}
                />
              ) : null}
            </div>
          </fieldset>
        ))}
        {participantRuns > 0 ? (
          <div
            className={`r-notice${state.errors.acknowledgeExistingRuns ? " r-invalid" : ""}`}
            data-testid="runs-warning"
          >
            <p style={{ marginTop: 0 }}>
              <strong>{participantRuns} participant(s) already ran this study.</strong> Each run
              keeps the settings it started with, so their data stays consistent; changed settings
              apply to new participants only, and your dataset will then mix two designs.
            </p>
            <label className="r-check">
              <input type="checkbox" name="acknowledgeExistingRuns" />
              <span>I understand: apply changed settings to new participants only.</span>
            </label>
            {state.errors.acknowledgeExistingRuns ? (
              <span className="r-field-error" data-testid="error-acknowledgeExistingRuns">
                {state.errors.acknowledgeExistingRuns}
              </span>
            ) : null}
          </div>
        ) : null}
        <div className="r-actions" style={{ marginTop: "1rem" }}>
          <button className="button" type="submit" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
      <h2>Preview of these settings</h2>
      {preview ? (
        <CurriculumPreview preview={preview} />
      ) : (
        <p className="r-notice" data-testid="preview-paused">
          The preview follows the form again once these fields are valid:{" "}
          {Object.values(live.ok ? {} : live.errors).join("; ")}
        </p>
      )}
    </>
  );
}
