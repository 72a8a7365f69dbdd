// Every reference to a document in tracked code and docs points at something that exists in this
// repository: a `*.md` path resolves to a tracked file, a `§N` after a repo document names a heading
// of that document, a quoted section name after a document appears in it, and no reference points
// at the design notes that live outside the repository (docs/ARCHITECTURE.md and docs/science.md
// hold what the code relies on).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const self = path.relative(root, __filename);

const TEXT = /\.(ts|tsx|js|mjs|cjs|md|prisma|json|ya?ml|css|toml|cff|sql)$/;
const tracked = execFileSync(
  "git",
  ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
  { cwd: root, encoding: "utf8" },
)
  .split("\0")
  .filter((f) => f && TEXT.test(f) && f !== "package-lock.json" && f !== self)
  .filter((f) => fs.existsSync(path.join(root, f)));
const trackedSet = new Set(tracked);

/** Names of documents that exist only outside the repository (built from parts so that this file
 * does not match itself). */
const OUTSIDE = new RegExp(
  [
    "DESIGN" + "\\.md",
    "nta-" + "spec",
    "stack-" + "notes",
    "house[- ]" + "style",
    "human-" + "paradigm",
  ]
    .concat(["peer-" + "platforms", "/work/" + "shared"])
    .join("|"),
  "i",
);

const MD_TOKEN = /[\w@{}<>./-]*[\w-]\.md\b/g;
const PAPER = /paper|NeurIPS/gi;

function resolveMd(token: string, from: string): string | null {
  const clean = token.replace(/^.*[{}<>]\/?/, "").replace(/^\.\//, "");
  const candidates = [clean, path.posix.join(path.posix.dirname(from), clean)];
  for (const c of candidates) if (trackedSet.has(path.posix.normalize(c))) return c;
  // A generated file named by its folder-relative name (e.g. reports' summary.md).
  const suffix = tracked.find((f) => f.endsWith(`/${clean}`));
  return suffix ?? null;
}

type Heading = { numbers: Set<string>; text: string };
const headingCache = new Map<string, Heading>();
function headingsOf(doc: string): Heading {
  let h = headingCache.get(doc);
  if (!h) {
    const body = fs.readFileSync(path.join(root, doc), "utf8");
    const numbers = new Set<string>();
    const lines: string[] = [];
    for (const m of body.matchAll(/^#+\s+(.*)$/gm)) {
      lines.push(m[1]);
      const n = /^(\d+(?:\.\d+)*)\.?\s/.exec(m[1]);
      if (n) numbers.add(n[1]);
    }
    const bold = [...body.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]);
    h = { numbers, text: [...lines, ...bold].join("\n").toLowerCase() };
    headingCache.set(doc, h);
  }
  return h;
}

type Problem = string;
function problemsIn(file: string): Problem[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const problems: Problem[] = [];
  const where = (i: number) => `${file}:${text.slice(0, i).split("\n").length}`;

  const outside = new RegExp(OUTSIDE.source, "gi");
  for (const m of text.matchAll(outside)) problems.push(`${where(m.index)} names "${m[0]}"`);

  const refs: Array<{ at: number; end: number; doc: string | null }> = [];
  for (const m of text.matchAll(MD_TOKEN)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (/:\/\/\S*$|github\.com\S*$|www\.\S*$/.test(before)) continue; // a URL
    if (/^[\w.-]+\.[a-z]{2,}\//i.test(m[0]) && !m[0].startsWith("docs/")) continue; // domain path
    const doc = resolveMd(m[0], file);
    if (!doc) problems.push(`${where(m.index)} refers to ${m[0]}, which is not in the repository`);
    refs.push({ at: m.index, end: m.index + m[0].length, doc });
    // A quoted section name right after the reference must appear as a heading or bold term.
    const quoted = /^\s*,?\s*\(?\s*"([^"\n]{3,80})"/.exec(text.slice(m.index + m[0].length));
    if (doc?.startsWith("docs/") && quoted) {
      if (!headingsOf(doc).text.includes(quoted[1].toLowerCase()))
        problems.push(
          `${where(m.index)} refers to section "${quoted[1]}" of ${doc}: no such heading`,
        );
    }
  }

  const papers = [...text.matchAll(PAPER)].map((m) => m.index);
  for (const m of text.matchAll(/§\s*(\d+(?:\.\d+)*)/g)) {
    const ref = [...refs].reverse().find((r) => r.end <= m.index);
    const paper = [...papers].reverse().find((p) => p < m.index);
    const near = (i: number | undefined) => i !== undefined && m.index - i < 200;
    const refNear = ref && near(ref.end) ? ref : undefined;
    if (near(paper) && (!refNear || paper! > refNear.end)) continue; // a section of the paper
    if (!refNear) {
      problems.push(`${where(m.index)} has §${m[1]} without the document it belongs to`);
      continue;
    }
    if (!refNear.doc) continue; // already reported
    if (!headingsOf(refNear.doc).numbers.has(m[1]))
      problems.push(`${where(m.index)} refers to ${refNear.doc} §${m[1]}: no such section`);
  }
  return problems;
}

describe("document references", () => {
  it("every reference in tracked code and docs resolves inside the repository", () => {
    expect(tracked.length).toBeGreaterThan(100);
    const problems = tracked.flatMap(problemsIn);
    expect(problems).toEqual([]);
  });

  it("catches each kind of dangling reference (checked on a scratch file)", () => {
    const dir = fs.mkdtempSync(path.join(root, ".doc-ref-check-"));
    const scratch = path.relative(root, path.join(dir, "x.ts"));
    try {
      const write = (s: string) => fs.writeFileSync(path.join(root, scratch), s);
      write("// see docs/science.md §3 and docs/science.md §10.5 (paper §3.2)\n");
      expect(problemsIn(scratch)).toEqual([]);
      write("// see docs/science.md §42\n");
      expect(problemsIn(scratch)).toHaveLength(1);
      write("// see docs/nowhere.md\n");
      expect(problemsIn(scratch)).toHaveLength(1);
      write("// see spec §3\n");
      expect(problemsIn(scratch)).toHaveLength(1);
      write('// see docs/model.md ("No such heading here")\n');
      expect(problemsIn(scratch)).toHaveLength(1);
      write(`// see ${"DESIGN" + ".md"}\n`);
      expect(problemsIn(scratch).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
