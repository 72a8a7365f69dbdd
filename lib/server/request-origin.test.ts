import { crossSiteRefusal, expectedOrigin, servedOverTls } from "./request-origin";

const h = (o: Record<string, string>) => new Headers(o);

describe("crossSiteRefusal", () => {
  it("refuses state-changing requests from another origin or site, text/plain forms included", () => {
    const attack = h({
      host: "lab.test",
      origin: "https://evil.example",
      "content-type": "text/plain",
      "sec-fetch-site": "cross-site",
    });
    for (const method of ["POST", "PUT", "PATCH", "DELETE"])
      expect(crossSiteRefusal(method, attack, undefined)).toMatch(/Cross-site/);
    // an old browser without Sec-Fetch-Site still sends Origin
    expect(
      crossSiteRefusal("POST", h({ host: "lab.test", origin: "http://evil.example" }), undefined),
    ).toMatch(/Cross-origin/);
    expect(crossSiteRefusal("POST", h({ host: "lab.test", origin: "null" }), undefined)).toMatch(
      /Cross-origin/,
    );
    expect(
      crossSiteRefusal("POST", h({ host: "a.lab.test", "sec-fetch-site": "same-site" }), undefined),
    ).toMatch(/same-site/);
  });

  it("lets same-origin requests, safe methods and non-browser clients through", () => {
    const same = h({
      host: "lab.test",
      origin: "http://lab.test",
      "sec-fetch-site": "same-origin",
    });
    expect(crossSiteRefusal("POST", same, undefined)).toBeNull();
    expect(crossSiteRefusal("GET", h({ origin: "https://evil.example" }), undefined)).toBeNull();
    expect(crossSiteRefusal("POST", h({ host: "lab.test" }), undefined)).toBeNull();
  });

  it("compares with APP_URL when it is set, whatever the Host header says", () => {
    const app = "https://lab.example.org";
    expect(
      crossSiteRefusal("POST", h({ host: "evil.example", origin: "https://lab.example.org" }), app),
    ).toBeNull();
    expect(
      crossSiteRefusal("POST", h({ host: "evil.example", origin: "http://evil.example" }), app),
    ).toMatch(/Cross-origin/);
    expect(expectedOrigin(h({ host: "evil.example" }), app)).toBe(app);
  });
});

describe("servedOverTls", () => {
  it("is true for an https APP_URL or a (trusted) X-Forwarded-Proto of https", () => {
    expect(servedOverTls(h({}), "https://lab.example.org")).toBe(true);
    expect(servedOverTls(h({ "x-forwarded-proto": "https" }), undefined)).toBe(true);
    expect(servedOverTls(h({ "x-forwarded-proto": "http" }), "http://localhost:3000")).toBe(false);
  });
});
