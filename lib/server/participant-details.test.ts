import { browserOf } from "./participant-details";

describe("browserOf", () => {
  it("names the browser and system, most specific browser first", () => {
    const chrome =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(browserOf(chrome)).toBe("Chrome 131 on Linux");
    expect(browserOf(`${chrome.replace("X11; Linux x86_64", "Windows NT 10.0")} Edg/130.0`)).toBe(
      "Edge 130 on Windows",
    );
    expect(
      browserOf(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
      ),
    ).toBe("Safari 17 on macOS");
    expect(
      browserOf("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    ).toBe("Firefox 128 on Linux");
    expect(browserOf(null)).toBe("unknown");
    expect(browserOf("curl/8")).toBe("unknown browser on unknown OS");
  });
});
