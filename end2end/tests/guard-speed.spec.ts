// The sensitive-text guard checks a message on every keystroke. This times one check of a
// 1,000-character message in each real browser, with the guard built to WebAssembly as the app's
// islands build it (end2end/guard-wasm: the app's own guard source, by scripts/guard-wasm.sh),
// prints p50/p99 and fails when p99 reaches 5 ms: a delay under that is not felt while typing.
// scripts/test.sh runs it on its own, one browser at a time (the main run leaves out @speed), so
// that the other specs do not share its two cores.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "@playwright/test";
import { hydrated, test } from "./support";

const targetDir = process.env.CARGO_TARGET_DIR ?? join(resolve(__dirname, "..", ".."), "target");
const built = join(targetDir, "guard-wasm");

// A parent's long message: practical and sensitive sentences, a name, a number, an emoji.
const SENTENCES = [
  "Hei! Jonas blir hentet kl. 14.30 i dag av bestemor, og han har med seg gymtøy.",
  "Han sier at Mathias dyttet ham i garderoben igjen og at de andre lo av ham 😢",
  "Vi lurer på om dere har merket noe, for han vil ikke gå på skolen om morgenen.",
  "Legen mener han bør utredes, men vi venter fortsatt på time hos BUP.",
  "Husk at turen på fredag starter kl. 09.00, ta med matpakke og drikke.",
  "the cold is going around, so Emma stays home tomorrow. Thanks for understanding!",
];

function message(length: number): string {
  let text = "";
  for (let i = 0; text.length < length; i++) text += SENTENCES[i % SENTENCES.length] + " ";
  return text.slice(0, length);
}

test("the guard checks a 1,000-character message in under 5 ms at p99 in the browser @speed", async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), "the guard in the browser is the app's WebAssembly");
  const files: Record<string, string> = {
    "/__guard/guard_wasm.js": "text/javascript",
    "/__guard/guard_wasm_bg.wasm": "application/wasm",
    "/__guard/index.html": "text/html",
  };
  await page.route("**/__guard/**", async (route) => {
    const path = new URL(route.request().url()).pathname;
    const type = files[path];
    if (!type) return route.fulfill({ status: 404 });
    const body = path.endsWith(".html")
      ? "<!doctype html><title>guard</title>"
      : readFileSync(join(built, path.replace("/__guard/", "")));
    return route.fulfill({ status: 200, contentType: type, body });
  });
  await page.goto("/__guard/index.html");
  const text = message(1_000);
  const result = await page.evaluate(async (text) => {
    const guard = await import("/__guard/guard_wasm.js");
    await guard.default({ module_or_path: "/__guard/guard_wasm_bg.wasm" });
    // Every keystroke checks a slightly different text; the texts are made before timing, so
    // that making them (and collecting them) is not counted.
    const typed = Array.from({ length: 100 }, (_, i) => text.slice(0, 900 + i));
    for (let i = 0; i < 300; i++) guard.findings(typed[i % 100]);
    // Three rounds of 1,000 keystrokes; the middle round's figures are reported, so that one
    // round disturbed by the other browser's tests on the same two cores does not decide.
    const rounds = [0, 1, 2].map(() => {
      const times: number[] = [];
      for (let i = 0; i < 1_000; i++) {
        const started = performance.now();
        guard.findings(typed[i % 100]);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(times.length * q) - 1)];
      return { p50: at(0.5), p99: at(0.99) };
    });
    rounds.sort((a, b) => a.p99 - b.p99);
    // A long batch too, since a browser may round each single timing (Firefox to 1 ms).
    const started = performance.now();
    for (let i = 0; i < 300; i++) guard.findings(typed[i % 100]);
    const mean = (performance.now() - started) / 300;
    return {
      ...rounds[1],
      worst: rounds[2].p99,
      mean,
      categories: guard.categories(text),
      practical: guard.categories("Husk gymtøy og matpakke i morgen, vi går på tur kl. 9."),
    };
  }, text);
  console.log(
    `guard in ${testInfo.project.name}: one check of 1,000 characters, 3 × 1,000 keystrokes: ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (worst round ${result.worst.toFixed(2)} ms), ` +
      `mean ${result.mean.toFixed(3)} ms`,
  );
  // The browser's guard finds what the server's does (server/tests/figures.rs runs the same code).
  expect(result.categories.split(",")).toEqual(expect.arrayContaining(["health", "bullying", "other_child"]));
  expect(result.practical).toBe("");
  expect(result.p99).toBeLessThan(5);
});
