/// <reference types="vitest/globals" />
import { escapeHtml } from "./html";

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters and leaves the rest alone", () => {
    expect(escapeHtml(`<b class="x">Tom & Jerry's</b> 7`)).toBe(
      "&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt; 7",
    );
  });
});
