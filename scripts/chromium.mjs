// Where the end-to-end tests find a Chromium, and how `npm test` obtains one on a fresh machine:
// CHROMIUM_PATH if it exists, else a system Chromium, else Playwright's downloaded build; if there
// is none, install one (Debian/Ubuntu as root: apt-get; elsewhere Playwright's installer, online).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** Playwright's own Chromium build, if it has been downloaded. */
async function playwrightChromium() {
  try {
    const { chromium: pw } = await import("@playwright/test");
    const p = pw.executablePath();
    return p && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export async function findChromium(wanted = process.env.CHROMIUM_PATH) {
  if (wanted && fs.existsSync(wanted)) return wanted;
  if (wanted) console.log(`CHROMIUM_PATH=${wanted} does not exist; looking for another Chromium.`);
  return SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p)) ?? (await playwrightChromium());
}

/** Try to install a Chromium: apt on Debian/Ubuntu as root, else Playwright's installer (online). */
export async function obtainChromium() {
  const isRoot = process.getuid?.() === 0;
  if (process.platform === "linux" && isRoot && fs.existsSync("/usr/bin/apt-get")) {
    console.log("\n=== No Chromium found: apt-get install -y chromium");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        stdio: "inherit",
        env,
      }).status === 0;
    if (!install()) {
      spawnSync("apt-get", ["update"], { stdio: "inherit", env });
      install();
    }
    const found = SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p));
    if (found) return found;
  }
  console.log("\n=== No Chromium found: npx playwright install chromium (needs the internet)");
  spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  return playwrightChromium();
}
