// The production server (`npm run start`, built by `npm run build` into dist/server.mjs): one Node
// http server in which participant requests are answered by server/participant-routes.ts and every
// other request — pages, researcher APIs, sign-in — by Next.js (a custom server,
// https://nextjs.org/docs/app/guides/custom-server); the build's immutable static files come from
// memory (server/static-files.ts). Why: under a launch burst Next's request pipeline cost more CPU
// than the trial save itself, and the trial saves queued behind it (docs/RELIABILITY.md).
// `next dev` is unchanged and serves everything through app/.
//
//   node dist/server.mjs [-p PORT] [-H HOST]      (defaults: $PORT or 3000, all interfaces)
import http from "node:http";

import next from "next";

import { closeDb } from "../lib/server/db";
import { securityHeaders } from "../next.config.js";

import { createStaticFiles } from "./static-files";

function option(short: string, long: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === short || a === long);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Grace period for requests in flight when asked to stop (SIGTERM / SIGINT). */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const port = Number(option("-p", "--port") ?? process.env.PORT ?? 3000);
  const hostname = option("-H", "--hostname");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);

  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  // Loaded only now: the route handlers import next/server, which needs the Node environment
  // (AsyncLocalStorage) that Next.js installs while it prepares.
  const { serveParticipantRoute } = await import("./participant-routes");
  const staticFiles = createStaticFiles(".next/static");

  const server = http.createServer((req, res) => {
    if (staticFiles.serve(req, res, securityHeaders)) return;
    serveParticipantRoute(req, res)
      .then((served) => (served ? undefined : handleNext(req, res)))
      .catch((err) => {
        console.error("[server] request failed", err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("Internal error");
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  console.log(
    `[server] ready on http://${hostname ?? "localhost"}:${port} (participant routes served directly, the rest by Next.js)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: finishing requests in flight, then closing the database`);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    clearTimeout(force);
    await app.close?.();
    await closeDb(); // PGlite: flush and release the data folder
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
