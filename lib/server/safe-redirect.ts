// Where to send a researcher after sign-in: only a path on this site, never another origin
// (an open redirect would let a phishing link bounce through our login page).

/** `callbackUrl` as a same-site path ("/studies/x?y"), or `fallback` when it is missing or foreign. */
export function safeCallbackPath(
  callbackUrl: string | null | undefined,
  fallback = "/studies",
): string {
  if (!callbackUrl) return fallback;
  let url: URL;
  try {
    // Relative paths resolve against a dummy origin; absolute URLs keep their own origin.
    url = new URL(callbackUrl, "http://same.invalid");
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}`;
  if (
    !path.startsWith("/") ||
    path.startsWith("//") ||
    path.startsWith("/login") ||
    path.startsWith("/api/")
  )
    return fallback;
  // Absolute URLs are accepted only for their path: the proxy sends the full href of our own page.
  return path;
}
