// The psych-DS check itself must catch each rule it claims to check.
import { validatePsychDs } from "./psych-ds-validator";

const description = {
  "@context": "https://schema.org/",
  "@type": "Dataset",
  name: "N",
  description: "D",
  author: ["A"],
  citation: "C",
  license: "L",
  keywords: ["k"],
  variableMeasured: [
    { "@type": "PropertyValue", name: "a", description: "first" },
    { "@type": "PropertyValue", name: "b", description: "second", unitText: "ms" },
  ],
};
const valid = () => ({
  "dataset_description.json": JSON.stringify(description),
  "data/study-x_description-human_data.csv": "a,b\r\n1,2\r\n",
});
const codes = (files: Record<string, string>) => validatePsychDs(files).map((p) => p.code);

describe("validatePsychDs", () => {
  it("accepts a valid dataset", () => {
    expect(validatePsychDs(valid())).toEqual([]);
  });

  it("finds a missing description, data folder or data file", () => {
    const { "dataset_description.json": _d, ...noDesc } = valid();
    expect(codes(noDesc)).toContain("MISSING_DATASET_DESCRIPTION");
    expect(codes({ "dataset_description.json": JSON.stringify(description) })).toEqual([
      "MISSING_DATA_DIRECTORY",
      "MISSING_DATAFILE",
    ]);
  });

  it("refuses unofficial keywords and malformed names", () => {
    const f = valid();
    const rename = (name: string) => ({
      "dataset_description.json": f["dataset_description.json"],
      [name]: "a,b\r\n1,2\r\n",
    });
    expect(codes(rename("data/study-x_stream-human_data.csv"))).toContain(
      "FILENAME_UNOFFICIAL_KEYWORD_ERROR",
    );
    expect(codes(rename("data/study-x_description-hu_man_data.csv"))).toContain(
      "FILENAME_KEYWORD_FORMATTING_ERROR",
    );
    expect(codes(rename("data/study-x.csv"))).toContain("FILENAME_KEYWORD_FORMATTING_ERROR");
  });

  it("checks CSV rows against the header and columns against variableMeasured", () => {
    const f = valid();
    f["data/study-x_description-human_data.csv"] = "a,b,c\r\n1,2\r\n";
    expect(codes(f)).toEqual(
      expect.arrayContaining(["CSV_HEADER_LENGTH_MISMATCH", "CSV_COLUMN_MISSING_FROM_METADATA"]),
    );
  });

  it("requires the description's fields and schema.org Dataset type", () => {
    const f = valid();
    f["dataset_description.json"] = JSON.stringify({
      ...description,
      "@type": "Thing",
      license: "",
      author: undefined,
    });
    expect(codes(f)).toEqual([
      "INCORRECT_DATASET_TYPE",
      "JSON_KEY_RECOMMENDED",
      "JSON_KEY_RECOMMENDED",
    ]);
    f["dataset_description.json"] = "{";
    expect(codes(f)).toContain("JSON_INVALID");
  });
});
