// Drives Debian's Firefox ESR with the real extension over WebDriver BiDi (puppeteer-core), for
// tests/firefox/test_firefox_extension.py, which starts the server and the pages and checks what
// this script saw against the server's own answer.
//
//   node tests/firefox/drive_firefox.mjs '{"firefox": ..., "extension": ..., "home": ..., "pages": [{"name": ..., "url": ..., "panel": true, "waitBeforeTypingMs": N}],
//     "draft": ..., "expectedSpans": N, "localDomains": "...", "backgroundIdleMs": N, "screenshots": ...}'
//
// It prints one JSON report on standard output. Firefox reads the extension's settings from the
// managed-storage manifest the test may write under `home` (BiDi may not open moz-extension://
// pages, so there is no options page to type them into): that is also how IT pushes them.
// `localDomains` names hosts Firefox resolves to loopback, so that a built-in site's address
// (served by the test with a certificate of its own) reaches the test's page.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const WAIT_MS = 15000;
const args = JSON.parse(process.argv[2]);

const uiState = () => {
  const host = document.querySelector("#socialcheck-ui");
  const root = host && host.shadowRoot;
  const badge = root && root.querySelector(".badge");
  if (!badge) return null;
  const counts = {};
  for (const count of badge.querySelectorAll(".count[data-severity]")) counts[count.dataset.severity] = Number(count.dataset.count);
  const box = (element) => {
    const rect = element.getBoundingClientRect();
    return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
  };
  const draft = document.querySelector("#draft");
  return {
    state: badge.dataset.state,
    platform: badge.dataset.platform,
    draftText: draft ? (draft instanceof HTMLTextAreaElement ? draft.value : draft.textContent) : null,
    counts,
    badgeText: badge.textContent,
    badgeLabel: badge.getAttribute("aria-label"),
    // The textarea's overlay: one element per finding, laid over the text.
    marks: [...root.querySelectorAll(".mark")].map((mark) => ({ severity: mark.classList[1], text: mark.textContent, rule: mark.dataset.rule, box: box(mark) })),
    // contenteditable editors: the CSS Custom Highlight API, as [severity, covered text].
    highlights: typeof CSS !== "undefined" && CSS.highlights
      ? [...CSS.highlights].filter(([name]) => name.startsWith("socialcheck-")).flatMap(([name, highlight]) => [...highlight].map((range) => [name.slice("socialcheck-".length), range.toString()]))
      : null,
    highlightApi: typeof Highlight === "function",
    draftBox: draft ? box(draft) : null,
    panelItems: root.querySelector(".panel") ? root.querySelectorAll(".panel .item").length : null,
  };
};

async function composeIn(browser, { name, url, panel, waitBeforeTypingMs = 0 }) {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  await page.setViewport({ width: 900, height: 600 });
  await page.goto(url);
  // Long enough for Firefox to suspend the idle background page: typing must wake it.
  if (waitBeforeTypingMs) await new Promise((resolve) => setTimeout(resolve, waitBeforeTypingMs));
  await page.click("#draft");
  await page.keyboard.type(args.draft);
  const seen = { page: name, console: consoleLines };
  try {
    await page.waitForFunction(
      (count) => {
        const host = document.querySelector("#socialcheck-ui");
        const badge = host && host.shadowRoot && host.shadowRoot.querySelector(".badge");
        if (badge && badge.dataset.state === "error") return true; // such as "server not running"
        if (!badge || badge.dataset.state !== "result") return false;
        const drawn = host.shadowRoot.querySelectorAll(".mark").length;
        let highlighted = 0;
        for (const [key, highlight] of CSS.highlights) if (key.startsWith("socialcheck-")) highlighted += highlight.size;
        return drawn + highlighted >= count;
      },
      { timeout: WAIT_MS, polling: 100 },
      args.expectedSpans,
    );
  } catch (error) {
    seen.waitError = String(error.message || error);
  }
  // null: the content script drew nothing (no badge), as where the settings never arrived.
  Object.assign(seen, (await page.evaluate(uiState)) || { state: null });
  mkdirSync(args.screenshots, { recursive: true });
  await page.screenshot({ path: join(args.screenshots, `firefox-${name}.png`) });
  if (!panel) {
    await page.close();
    return seen;
  }
  // The manifest's `open-panel` command (Alt+Shift+S), as Firefox binds it.
  await page.keyboard.down("Alt");
  await page.keyboard.down("Shift");
  await page.keyboard.press("KeyS");
  await page.keyboard.up("Shift");
  await page.keyboard.up("Alt");
  try {
    await page.waitForFunction(() => Boolean(document.querySelector("#socialcheck-ui").shadowRoot.querySelector(".panel .item")), { timeout: WAIT_MS, polling: 100 });
  } catch (error) {
    seen.panelError = String(error.message || error);
  }
  seen.panelItems = ((await page.evaluate(uiState)) || {}).panelItems ?? null;
  await page.close();
  return seen;
}

const started = Date.now();
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: args.firefox,
  headless: true,
  acceptInsecureCerts: true, // the test's own certificate for a built-in site's name
  extraPrefsFirefox: {
    "network.proxy.type": 0, // straight to loopback, whatever proxy the environment names
    ...(args.localDomains ? { "network.dns.localDomains": args.localDomains } : {}),
    // How long an idle MV3 background page lives (30 s by default), as Chrome stops its worker.
    ...(args.backgroundIdleMs ? { "extensions.background.idle.timeout": args.backgroundIdleMs } : {}),
  },
  // Firefox finds the managed-storage manifest under ~/.mozilla: the test's own HOME.
  env: { ...process.env, HOME: args.home },
});
const report = { version: await browser.version() };
try {
  report.extensionId = await browser.installExtension(args.extension);
  report.installedAfterMs = Date.now() - started;
  report.pages = [];
  for (const page of args.pages) report.pages.push(await composeIn(browser, page));
} catch (error) {
  report.error = String(error.message || error);
} finally {
  await browser.close();
}
report.totalMs = Date.now() - started;
process.stdout.write(`${JSON.stringify(report)}\n`);
