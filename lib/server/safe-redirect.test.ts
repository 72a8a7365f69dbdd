import { safeCallbackPath } from "./safe-redirect";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/studies/abc/edit?x=1")).toBe("/studies/abc/edit?x=1");
  });

  it("keeps only the path of an absolute URL (the proxy sends full hrefs)", () => {
    expect(safeCallbackPath("http://127.0.0.1:3100/studies")).toBe("/studies");
    expect(safeCallbackPath("https://evil.example/studies/x")).toBe("/studies/x");
  });

  it("falls back for empty, protocol-relative, login-loop and API targets", () => {
    expect(safeCallbackPath(undefined)).toBe("/studies");
    expect(safeCallbackPath("")).toBe("/studies");
    expect(safeCallbackPath("//evil.example/x")).not.toContain("evil");
    expect(safeCallbackPath("/login?callbackUrl=/studies")).toBe("/studies");
    expect(safeCallbackPath("/api/studies")).toBe("/studies");
    expect(safeCallbackPath("javascript:alert(1)")).toBe("/studies");
  });
});
