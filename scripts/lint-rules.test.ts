// The folder rules of docs/ARCHITECTURE.md §3 are enforced by ESLint: files in lint-fixtures/ that break them
// must be reported, and a file that follows them must not.
import { ESLint } from "eslint";

const eslint = new ESLint({ ignore: false });

async function restrictedImports(file: string) {
  const [result] = await eslint.lintFiles([file]);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("folder import rules", () => {
  it("reports lib/core importing Prisma", async () => {
    const messages = await restrictedImports("lint-fixtures/core/imports-prisma.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/lib\/core is pure/);
  });

  it("accepts lib/core importing zod and lib/core", async () => {
    expect(await restrictedImports("lint-fixtures/core/imports-zod.ts")).toEqual([]);
  });

  it("reports lib/model importing React and jsPsych", async () => {
    const messages = await restrictedImports("lint-fixtures/model/imports-react.ts");
    expect(messages).toHaveLength(2);
  });

  it("reports lib/experiment importing TensorFlow.js and Prisma", async () => {
    const messages = await restrictedImports("lint-fixtures/experiment/imports-tf.ts");
    expect(messages.join("\n")).toMatch(/TensorFlow\.js belongs in lib\/model/);
    expect(messages.join("\n")).toMatch(/Database access belongs in lib\/server/);
  });
});
