import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CLIENT_HEADER,
  ServerError,
  describeGrammar,
  errorFromResponse,
  grammarIsOn,
  healthRequest,
  imageCheckRequest,
  startHelp,
  textCheckRequest,
} from "../lib/api.js";

const serverUrl = "http://127.0.0.1:8765";

describe("requests follow the HTTP contract", () => {
  it("a text check is JSON with the client header, and the token only when set", () => {
    const { url, init } = textCheckRequest({ serverUrl, token: "", text: "🎉 hi", platform: "x", profile: "corporate" });
    assert.equal(url, `${serverUrl}/v1/check/text`);
    assert.equal(init.method, "POST");
    assert.equal(init.headers["Content-Type"], "application/json");
    assert.equal(init.headers[CLIENT_HEADER], "extension");
    assert.equal("Authorization" in init.headers, false);
    assert.deepEqual(JSON.parse(init.body), { text: "🎉 hi", platform: "x", profile: "corporate" });
    const paired = textCheckRequest({ serverUrl, token: "abc", text: "", platform: "x", profile: "corporate" });
    assert.equal(paired.init.headers.Authorization, "Bearer abc");
  });

  it("an image check is multipart with the image, platform and profile", async () => {
    const image = new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" });
    const { url, init } = imageCheckRequest({ serverUrl, token: "", image, filename: "avatar.png", platform: "x", profile: "department" });
    assert.equal(url, `${serverUrl}/v1/check/image`);
    assert.equal(init.headers[CLIENT_HEADER], "extension");
    assert.equal("Content-Type" in init.headers, false, "fetch sets the multipart boundary itself");
    assert.equal(init.body.get("image").name, "avatar.png");
    assert.equal(init.body.get("platform"), "x");
    assert.equal(init.body.get("profile"), "department");
  });

  it("health is a GET", () => {
    assert.deepEqual(healthRequest({ serverUrl, token: "" }).init.method, "GET");
  });
});

describe("errors in plain words", () => {
  it("uses the server's JSON error message and code", () => {
    const error = errorFromResponse(400, { error: { code: "unknown_platform", message: "Unknown platform 'myspace'." } }, serverUrl);
    assert.ok(error instanceof ServerError);
    assert.equal(error.code, "unknown_platform");
    assert.equal(error.message, "Unknown platform 'myspace'.");
    assert.equal(error.status, 400);
  });

  it("explains a refused token", () => {
    const error = errorFromResponse(401, { error: { code: "unauthorised", message: "A pairing token is required." } }, serverUrl);
    assert.match(error.message, /pairing token/);
    assert.match(error.message, /options/);
  });

  it("copes with an error that is not JSON", () => {
    assert.match(errorFromResponse(502, null, serverUrl).message, /HTTP 502/);
  });

  it("says how to start the server", () => {
    const message = startHelp(serverUrl);
    assert.match(message, /socialcheck serve/);
    assert.match(message, /socialcheck autostart on/);
    assert.match(message, /not been changed/);
  });
});

describe("grammar engine state", () => {
  it("describes each engine and whether any is on", () => {
    const engines = { rules: "ready", harper: { state: "ready" }, languagetool: { state: "off", why: "not installed" } };
    assert.equal(describeGrammar(engines), "Harper on, LanguageTool off");
    assert.equal(grammarIsOn(engines), true);
    assert.equal(grammarIsOn({ harper: "unavailable", languagetool: "starting" }), false);
    assert.equal(describeGrammar(undefined), "unknown");
  });
});
