// Runs axe-core's WCAG 2.1 A and AA rules on committee HTML documents in
// headless Chromium (Debian's /usr/bin/chromium) and fails on any violation.
//
//   node axe-check.mjs file.html [more.html …]
//
// The documents are opened from disk with the network blocked: an export
// must stand on its own, and Chromium here has no network anyway.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node axe-check.mjs file.html [more.html …]");
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let violations = 0;
try {
  for (const file of files) {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on("request", (request) =>
      request.url().startsWith("file:") ? request.continue() : request.abort(),
    );
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      // @ts-ignore: axe is the script just added to the page.
      const run = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return {
        passes: run.passes.length,
        violations: run.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        })),
      };
    });
    violations += result.violations.length;
    console.log(`${file}: ${result.passes} rules pass, ${result.violations.length} violations`);
    for (const v of result.violations) {
      console.log(`  ${v.impact} ${v.id}: ${v.help}\n    at ${v.nodes.join("\n    at ")}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(violations === 0 ? 0 : 1);
