// What the main pages cost a phone, measured against a running demo server (scripts/perf-report.py
// starts one and logs in): PERF_BASE is its address, PERF_GUARDIAN and PERF_STAFF are session
// cookies of Kari and of a staff member.
//
// 1. Bytes, in Debian's Chromium through Playwright: each page loaded cold (fresh profile, no
//    service worker), everything it transfers, and of that its JS, WASM and CSS as sent (the
//    server precompresses them with brotli). Budget: 212 KB transferred and 192 KB of
//    JS+WASM+CSS per page, and 280 KB / 230 KB on a page with a message field, which also
//    fetches the sensitive-text guard (its code in lazy chunks and its lexicon and weights,
//    about 60 KB: issue 18); a page over it fails the run. The 12 KB above the earlier
//    200/180 came with the guard of issue 18 into the main module of every page (see its
//    closing note: the lexicon itself was moved out, what is left was not found in time).
// 2. Lighthouse 12 (mobile: simulated slow 4G and a 4x slower CPU) on the same pages, and on a
//    static HTML page served in the same run as the floor. Scores move with the machine's load,
//    so they are printed, not enforced; a layout shift (CLS above 0) fails the run.
import { chromium } from "@playwright/test";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { createServer } from "node:http";

const base = process.env.PERF_BASE;
const guardian = process.env.PERF_GUARDIAN;
const staff = process.env.PERF_STAFF;
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumFlags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const TRANSFER_BUDGET = 212 * 1024;
const CODE_BUDGET = 192 * 1024;
// Pages with a guarded message field (the guard's code and lexicon load with them).
const GUARDED = /\/ny-melding$/;
const GUARDED_TRANSFER_BUDGET = 280 * 1024;
const GUARDED_CODE_BUDGET = 230 * 1024;

const pages = [
  ["/", null],
  ["/kommune/4601", null],
  ["/hjem", guardian],
  ["/meldinger", guardian],
  ["/barn/demo-child-jonas/ny-melding", guardian],
  ["/las-opp", null],
  ["/ansatt/dagen", staff],
];

if (!base || !guardian || !staff) {
  console.error("PERF_BASE, PERF_GUARDIAN and PERF_STAFF must be set (scripts/perf-report.py sets them)");
  process.exit(2);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (text, width) => String(text).padEnd(width);
const padStart = (text, width) => String(text).padStart(width);

function cookiesFor(header) {
  return header.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
  });
}

/** One cold load: bytes transferred, and the JS+WASM+CSS part of them. */
async function measureBytes(browser, path, cookie) {
  const context = await browser.newContext({ serviceWorkers: "block", locale: "nb-NO" });
  if (cookie) await context.addCookies(cookiesFor(cookie));
  const page = await context.newPage();
  const sizes = [];
  // A page that sends the browser on by itself (the PIN screen on a device without a key goes
  // to the front page) is measured up to there: what follows is the next page's cost.
  let left = false;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame() && new URL(frame.url()).pathname !== new URL(base + path).pathname) left = true;
  });
  page.on("requestfinished", (request) => {
    if (left) return;
    sizes.push(
      request.sizes().then((s) => ({
        url: request.url(),
        type: request.resourceType(),
        bytes: s.responseBodySize + s.responseHeadersSize,
        body: s.responseBodySize,
      })),
    );
  });
  const response = await page.goto(base + path, { waitUntil: "networkidle" });
  // Whatever the page starts after load (the WASM app's own fetches) is part of its cost.
  await page.waitForTimeout(500);
  const done = await Promise.all(sizes);
  await context.close();
  const isCode = (r) => r.type === "script" || r.type === "stylesheet" || /\.(js|wasm|css)(\?|$)/.test(r.url);
  return {
    status: response?.status(),
    landed: response ? new URL(response.url()).pathname : "",
    transferred: done.reduce((sum, r) => sum + r.bytes, 0),
    code: done.filter(isCode).reduce((sum, r) => sum + r.body, 0),
    requests: done.length,
  };
}

async function bytesTable() {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
  const failures = [];
  const broken = [];
  console.log(`${pad("page (cold load, Chromium)", 36)}${padStart("status", 7)}${padStart("requests", 10)}${padStart("transferred", 14)}${padStart("JS+WASM+CSS", 14)}`);
  try {
    for (const [path, cookie] of pages) {
      const m = await measureBytes(browser, path, cookie);
      console.log(`${pad(path, 36)}${padStart(m.status, 7)}${padStart(m.requests, 10)}${padStart(kb(m.transferred), 14)}${padStart(kb(m.code), 14)}`);
      if (m.status !== 200) broken.push(`${path} answered ${m.status}, not the page`);
      if (m.landed !== new URL(base + path).pathname) broken.push(`${path} was sent on to ${m.landed}, not measured`);
      const guarded = GUARDED.test(path);
      const transferBudget = guarded ? GUARDED_TRANSFER_BUDGET : TRANSFER_BUDGET;
      const codeBudget = guarded ? GUARDED_CODE_BUDGET : CODE_BUDGET;
      if (m.transferred > transferBudget) failures.push(`${path} transfers ${kb(m.transferred)}, over the ${kb(transferBudget)} budget`);
      if (m.code > codeBudget) failures.push(`${path} ships ${kb(m.code)} of JS+WASM+CSS, over the ${kb(codeBudget)} budget`);
    }
  } finally {
    await browser.close();
  }
  console.log(`budget: ${kb(TRANSFER_BUDGET)} transferred, ${kb(CODE_BUDGET)} of JS+WASM+CSS per page; ${kb(GUARDED_TRANSFER_BUDGET)} and ${kb(GUARDED_CODE_BUDGET)} with a message field`);
  return { failures, broken };
}

/** A plain static page, the floor the app's pages are compared with. */
function startFloor() {
  const html = `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Statisk side</title></head><body><h1>Statisk side</h1><p>Et avsnitt tekst, uten skript og uten stilark.</p></body></html>`;
  const server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/**
 * One Lighthouse run of `url`. A run that Lighthouse itself could not complete (it now and then
 * misses the navigation's start on a busy machine: NO_NAVSTART) is tried once more.
 */
async function audit(url, port, cookie) {
  let lhr;
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await lighthouse(url, {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance"],
      extraHeaders: cookie ? { Cookie: cookie } : undefined,
    });
    lhr = result.lhr;
    if (!lhr.runtimeError) break;
  }
  return lhr;
}

async function lighthouseTable() {
  const floor = await startFloor();
  const floorUrl = `http://127.0.0.1:${floor.address().port}/`;
  const chrome = await chromeLauncher.launch({ chromePath: chromiumPath, chromeFlags: ["--headless=new", ...chromiumFlags] });
  const failures = [];
  console.log(`\n${pad("page (Lighthouse 12, mobile)", 36)}${padStart("perf", 6)}${padStart("LCP", 9)}${padStart("TBT", 9)}${padStart("CLS", 7)}${padStart("bytes", 12)}`);
  try {
    for (const [path, cookie] of [["static HTML (floor)", null], ...pages]) {
      const url = path.startsWith("/") ? base + path : floorUrl;
      const lhr = await audit(url, chrome.port, cookie);
      const value = (id) => lhr.audits[id]?.numericValue ?? NaN;
      const score = Math.round((lhr.categories.performance.score ?? 0) * 100);
      const cls = value("cumulative-layout-shift");
      console.log(
        `${pad(path, 36)}${padStart(score, 6)}${padStart(`${(value("largest-contentful-paint") / 1000).toFixed(2)} s`, 9)}` +
          `${padStart(`${Math.round(value("total-blocking-time"))} ms`, 9)}${padStart(cls.toFixed(3), 7)}${padStart(kb(value("total-byte-weight")), 12)}`,
      );
      if (lhr.runtimeError) failures.push(`${path}: Lighthouse could not measure it (${lhr.runtimeError.code})`);
      if (cls > 0) failures.push(`${path} shifts its layout after the first paint (CLS ${cls.toFixed(3)})`);
    }
  } finally {
    await chrome.kill();
    floor.close();
  }
  console.log("goal: performance 98 or more, TBT 50 ms or less, LCP 1.0 s or less, CLS 0 (scores are printed; CLS is enforced)");
  return failures;
}

const { failures: budget, broken } = await bytesTable();
const scores = await lighthouseTable();
for (const failure of budget) console.log(`over budget: ${failure}`);
for (const failure of [...broken, ...scores]) console.log(failure);
process.exit(broken.length > 0 || scores.length > 0 || budget.length > 0 ? 1 : 0);
