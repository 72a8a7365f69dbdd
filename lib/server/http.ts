// Shared plumbing for thin route handlers: typed 4xx errors, bounded body reading, JSON replies.
import { z } from "zod";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(data), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/** The 413 for a body over `maxBytes`. */
export function bodyTooLarge(maxBytes: number) {
  return new HttpError(413, `Request body too large (limit ${maxBytes} bytes)`);
}

/** Transport bound on any request body a handler reads, whatever limit the handler asks for. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Read a JSON body of at most `maxBytes` (never more than MAX_REQUEST_BODY_BYTES; 413 beyond,
 * without reading the rest), as `unknown` (400 if it is not JSON).
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const maxBytes = Math.min(limit, MAX_REQUEST_BODY_BYTES);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  if (!req.body) throw new HttpError(400, "Request body is empty");
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "Request body is not valid UTF-8");
  }
  if (!text.trim()) throw new HttpError(400, "Request body is empty");
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

/**
 * The path of the first string (value or key) PostgreSQL cannot store as text or JSON — a NUL
 * character or half of a surrogate pair — or null when there is none.
 */
export function findUnstorableText(value: unknown, path = ""): string | null {
  if (typeof value === "string") return /\0/.test(value) || !value.isWellFormed() ? path : null;
  if (value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (findUnstorableText(k) !== null) return at;
    const bad = findUnstorableText(v, at);
    if (bad !== null) return bad;
  }
  return null;
}

/**
 * Parse with a zod schema; 422 with readable issues on failure (text PostgreSQL cannot store
 * included, so no handler reaches the database with it).
 */
export function parseOr422<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const unstorable = findUnstorableText(data);
  if (unstorable !== null)
    throw new HttpError(
      422,
      `Invalid request: ${unstorable || "body"}: text must not contain NUL characters or unpaired surrogates`,
      [{ path: unstorable, message: "must not contain NUL characters or unpaired surrogates" }],
    );
  const r = schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new HttpError(
      422,
      `Invalid request: ${issues.map((i) => (i.path ? `${i.path}: ` : "") + i.message).join("; ")}`,
      issues,
    );
  }
  return r.data;
}

/** The 500 answer's message: nothing about internals, and what the client should do. */
export const INTERNAL_ERROR_MESSAGE = "Internal error; nothing was stored. Please retry.";

/** Wrap a route handler: HttpError → its status, anything else → 500 without internals. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof HttpError)
        return json({ error: err.message, details: err.details }, err.status);
      console.error("[api] unexpected error", err);
      return json({ error: INTERNAL_ERROR_MESSAGE }, 500);
    }
  };
}

/** A file download (exports): attachment, never cached, never sniffed. */
export function download(file: { body: BodyInit; contentType: string; fileName: string }) {
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
