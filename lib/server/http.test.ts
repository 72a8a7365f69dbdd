// readJsonBody: each handler's own limit, and never more than the 1 MiB transport bound — checked
// while the body streams in, so an oversized body without Content-Length is cut off too.
import { HttpError, MAX_REQUEST_BODY_BYTES, readJsonBody } from "./http";

/** A POST whose body arrives in 64 KiB chunks with no Content-Length; counts the bytes pulled. */
function streamedRequest(totalBytes: number) {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const n = Math.min(65_536, totalBytes - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  const req = new Request("http://x/api", { method: "POST", body, duplex: "half" } as RequestInit);
  return { req, pulled: () => sent };
}

describe("readJsonBody", () => {
  it("refuses a declared body over the handler's limit with 413 before reading it", async () => {
    const req = new Request("http://x/api", {
      method: "POST",
      headers: { "content-length": "5000" },
      body: "x".repeat(5000),
    });
    await expect(readJsonBody(req, 4096)).rejects.toMatchObject({ status: 413 });
  });

  it("caps any handler's limit at the 1 MiB transport bound and stops reading there", async () => {
    const { req, pulled } = streamedRequest(8 * MAX_REQUEST_BODY_BYTES);
    const err = await readJsonBody(req, 16 * MAX_REQUEST_BODY_BYTES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toContain(String(MAX_REQUEST_BODY_BYTES));
    expect(pulled()).toBeLessThan(2 * MAX_REQUEST_BODY_BYTES);
  });

  it("reads a valid body under the limit; empty or malformed bodies are 400", async () => {
    const ok = new Request("http://x/api", { method: "POST", body: '{"a":1}' });
    expect(await readJsonBody(ok, 100)).toEqual({ a: 1 });
    const bad = new Request("http://x/api", { method: "POST", body: "{" });
    await expect(readJsonBody(bad, 100)).rejects.toMatchObject({ status: 400 });
  });
});
