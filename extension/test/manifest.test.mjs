import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { builtInMatchPatterns } from "../lib/platforms.js";

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("manifest.json", () => {
  it("is Manifest V3 with a module service worker", () => {
    assert.equal(manifest.manifest_version, 3);
    assert.equal(manifest.background.type, "module");
  });

  it("runs the same background code as a Firefox background script", () => {
    // Firefox has no extension service workers: it runs `scripts` (as a module, for `type`) and
    // ignores `service_worker`; Chrome 121 and later do the opposite.
    assert.deepEqual(manifest.background.scripts, [manifest.background.service_worker]);
    // Chrome before 121 refuses an MV3 manifest that names background.scripts: it is told to
    // say "needs Chrome 121" instead.
    assert.ok(Number(manifest.minimum_chrome_version) >= 121, manifest.minimum_chrome_version);
  });

  it("names itself to Firefox with a fixed add-on ID and the first release it works in", () => {
    const gecko = manifest.browser_specific_settings.gecko;
    // The ID IT names in Firefox's "3rdparty" policy and managed-storage manifests; an email-like
    // ID, the form addons.mozilla.org asks for.
    assert.match(gecko.id, /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[a-z]{2,}$/);
    // 140 (an ESR) is the first Firefox with the CSS Custom Highlight API, which draws the underlines in
    // contenteditable editors (and it is past 127, which asks for the manifest's host permissions at install).
    const [major] = gecko.strict_min_version.split(".").map(Number);
    assert.ok(major >= 140, gecko.strict_min_version);
    assert.match(gecko.strict_min_version, /^\d+\.\d+$/);
  });

  it("tells Firefox users that drafts leave the extension, as addons.mozilla.org requires of new add-ons", () => {
    // Drafts and profile images go to the Socialcheck server (local, or the organisation's):
    // website content. Firefox 140 and later ask for this consent at install.
    assert.deepEqual(manifest.browser_specific_settings.gecko.data_collection_permissions, { required: ["websiteContent"] });
  });

  it("names only files that exist", () => {
    const named = [
      manifest.background.service_worker,
      ...manifest.background.scripts,
      manifest.action.default_popup,
      manifest.options_ui.page,
      ...Object.values(manifest.icons),
      ...Object.values(manifest.action.default_icon),
      ...manifest.content_scripts.flatMap((script) => [...script.js, ...(script.css || [])]),
    ];
    for (const file of named) assert.ok(existsSync(join(EXTENSION, file)), `${file} is missing`);
  });

  it("runs the content script on every built-in site, and lets it import its modules", () => {
    assert.deepEqual(manifest.content_scripts[0].matches, builtInMatchPatterns());
    const shared = manifest.web_accessible_resources.flatMap((entry) => entry.resources);
    for (const pattern of ["content/*.js", "content/*.css", "lib/*.js"]) assert.ok(shared.includes(pattern));
  });

  it("reaches the local server and nothing else without asking", () => {
    assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
  });
});

describe("the extension's code", () => {
  const code = filesUnder(EXTENSION).filter((path) => path.endsWith(".js") && !path.includes(`${join(EXTENSION, "test")}`));

  it("never inserts text as HTML", () => {
    for (const path of code) {
      const source = readFileSync(path, "utf8");
      assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, relative(EXTENSION, path));
    }
  });

  it("talks to the server only from the service worker", () => {
    for (const path of code) {
      const name = relative(EXTENSION, path);
      if (name === "background.js" || name === join("lib", "api.js")) continue;
      assert.doesNotMatch(readFileSync(path, "utf8"), /\bfetch\(|XMLHttpRequest/, name);
    }
  });
});
