// Every spec runs in Debian's Chromium and in Debian's Firefox ESR (through WebDriver BiDi), each
// twice: hydrated (the WASM app) and with JavaScript disabled (the server-rendered HTML alone),
// because a guardian on a slow phone acts before the WASM arrives.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const port = Number(process.env.E2E_PORT ?? 3100);
// A fresh data folder (and so a fresh SQLite database) for every run and server.
const dataDir = mkdtempSync(join(tmpdir(), "ranselpost-e2e-"));
const laterDataDir = mkdtempSync(join(tmpdir(), "ranselpost-e2e-later-"));
// A second demo server that believes it is 4 January 2027 (Bergen's SFO is in use then).
const laterPort = port + 1;

// Debian's Chromium, with the flags that keep it off the network it cannot reach here.
const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

// Debian's Firefox ESR through WebDriver BiDi (@playwright/test 1.58 to 1.64 drive it).
const firefox = {
  browserName: "firefox" as const,
  channel: "moz-firefox",
  launchOptions: {
    executablePath: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
  },
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  // No retries: a spec that fails once is a failure to look into.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${port}`,
    locale: "nb-NO",
    trace: "off",
  },
  projects: [
    { name: "hydrated", use: { ...chromium, javaScriptEnabled: true } },
    { name: "no-js", use: { ...chromium, javaScriptEnabled: false } },
    { name: "firefox", use: { ...firefox, javaScriptEnabled: true } },
    // Playwright's WebDriver BiDi backend does not act on `javaScriptEnabled: false` (it has no
    // command for it yet), and Firefox's own `javascript.enabled` pref stops Playwright's
    // locators too: in this project the app's scripts and WASM are refused instead (see `test`
    // in tests/support.ts), which leaves the server-rendered HTML alone, as without JavaScript.
    { name: "firefox-no-js", use: { ...firefox, javaScriptEnabled: false } },
  ],
  webServer: [
    demoServer(port, dataDir, []),
    demoServer(laterPort, laterDataDir, ["--now", "2027-01-04"]),
  ],
});

function demoServer(listen: number, data: string, extra: string[]) {
  return {
    command: [join(targetDir, "release", "ranselpost"), "serve", "--demo", "--addr", `127.0.0.1:${listen}`, ...extra].join(" "),
    cwd: root,
    url: `http://127.0.0.1:${listen}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      RANSELPOST_DATA_DIR: data,
      LEPTOS_SITE_ROOT: join(root, "target", "site"),
      DATABASE_URL: "",
      RUST_LOG: "info",
      // Every test logs in from 127.0.0.1, as do the server's own calls to the demo's TestID:
      // far more logins a minute from one address than the production limits allow.
      RANSELPOST_LOGIN_PER_MINUTE: "100000",
      RANSELPOST_UNLOCK_PER_MINUTE: "100000",
      RANSELPOST_PUBLIC_PER_MINUTE: "100000",
    },
  };
}
