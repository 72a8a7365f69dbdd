// Where the app is served from, as far as the browser is concerned: the public origin for
// absolute links and the Origin check (APP_URL, else the request's own scheme and Host), and
// whether the browser reached us over TLS (for HSTS and Secure cookies). The scheme comes from
// X-Forwarded-Proto only as the http guard left it: the socket's, or a trusted proxy's.
import { serverEnv } from "./env";

let appUrl: string | undefined | null = null;

/** APP_URL's origin, or undefined when it is not set. */
export function configuredOrigin(): string | undefined {
  if (appUrl === null) appUrl = serverEnv().APP_URL;
  return appUrl;
}

/** True when the browser talks to us over https (APP_URL is https, or a trusted proxy says so). */
export function servedOverTls(headers: Headers, appOrigin = configuredOrigin()): boolean {
  return appOrigin?.startsWith("https:") === true || headers.get("x-forwarded-proto") === "https";
}

/** The origin a same-site browser request carries. */
export function expectedOrigin(
  headers: Headers,
  appOrigin = configuredOrigin(),
): string | undefined {
  if (appOrigin) return appOrigin;
  const host = headers.get("host");
  return host ? `${servedOverTls(headers, appOrigin) ? "https" : "http"}://${host}` : undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a state-changing request must be refused as cross-site, or null to let it through. Browsers
 * send Origin with every POST/PUT/PATCH/DELETE, so a request from another site (a form or a
 * text/plain fetch riding on the researcher's cookie) shows a foreign Origin or
 * Sec-Fetch-Site; a client that sends neither is not a browser and holds no victim's cookie.
 */
export function crossSiteRefusal(
  method: string,
  headers: Headers,
  appOrigin = configuredOrigin(),
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = headers.get("origin");
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none")
    return `Cross-site request refused (Sec-Fetch-Site: ${site})`;
  if (origin === null) return null;
  if (origin !== expectedOrigin(headers, appOrigin))
    return `Cross-origin request refused (Origin: ${origin})`;
  return null;
}
