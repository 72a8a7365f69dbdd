// The build's static files (/_next/static/…: content-hashed scripts and stylesheets, immutable),
// served from memory by the production server. Every new participant's browser fetches a dozen of
// them at once; through Next.js's pipeline they cost more than the page itself during a launch
// burst (docs/RELIABILITY.md, browser-arrival rows). Same headers as Next.js gives them. Anything
// unusual — a Range request, an unknown type, a file that is not there — is left to Next.js.
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".mjs": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

/** Files above this size are streamed by Next.js instead of being held in memory. */
const MAX_CACHED_FILE_BYTES = 8 * 1024 * 1024;

type Cached = { body: Buffer; etag: string; type: string } | null;

export type StaticFiles = {
  /** Answer `req` if it is a build file we hold and return true; otherwise return false untouched. */
  serve: (
    req: IncomingMessage,
    res: ServerResponse,
    extraHeaders?: readonly { key: string; value: string }[],
  ) => boolean;
};

/** Static files of the build whose `static` folder is `staticDir` (normally `.next/static`). */
export function createStaticFiles(staticDir: string): StaticFiles {
  const root = path.resolve(staticDir);
  const cache = new Map<string, Cached>(); // relative path → file, or null for "not ours"

  function load(rel: string): Cached {
    if (cache.has(rel)) return cache.get(rel)!;
    let entry: Cached = null;
    const type = CONTENT_TYPES[path.extname(rel)];
    const file = path.resolve(root, rel);
    if (type && file.startsWith(root + path.sep)) {
      try {
        const stat = fs.statSync(file);
        if (stat.isFile() && stat.size <= MAX_CACHED_FILE_BYTES) {
          // the weak ETag `send` (and so Next.js) uses: size and mtime in hex
          entry = {
            body: fs.readFileSync(file),
            etag: `W/"${stat.size.toString(16)}-${Math.round(stat.mtimeMs).toString(16)}"`,
            type,
          };
        }
      } catch {
        entry = null; // not there: Next.js answers 404
      }
    }
    // remember hits and misses alike (the build does not change under a running server), bounded
    if (cache.size < 10_000) cache.set(rel, entry);
    return entry;
  }

  return {
    serve(req, res, extraHeaders = []) {
      if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.range) return false;
      const url = req.url ?? "";
      if (!url.startsWith("/_next/static/")) return false;
      const rel = url.slice("/_next/static/".length).split("?", 1)[0];
      // hashed build names only: no escapes, no dot segments, no backslashes
      if (
        !/^[A-Za-z0-9_-][A-Za-z0-9._~/-]*$/.test(rel) ||
        rel.split("/").some((s) => s === "" || s === "." || s === "..")
      )
        return false;
      const file = load(rel);
      if (!file) return false;
      const headers: Record<string, string> = {};
      for (const { key, value } of extraHeaders) headers[key.toLowerCase()] = value;
      Object.assign(headers, {
        "cache-control": "public, max-age=31536000, immutable",
        etag: file.etag,
        "content-type": file.type,
      });
      if (req.headers["if-none-match"] === file.etag) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      headers["content-length"] = String(file.body.byteLength);
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : file.body);
      return true;
    },
  };
}
