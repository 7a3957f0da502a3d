import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { describePack, describePackProblem } from "../lib/api.js";

const HASH = "sha256:" + "0123456789abcdef".repeat(4);

describe("the policy pack in force, as /v1/health gives it", () => {
  it("is named with the start of its content hash", () => {
    assert.equal(describePack({ name: "University of Leicester social media handbook", hash: HASH }), "University of Leicester social media handbook (0123456789ab)");
  });

  it("is unknown for an older server without the field", () => {
    assert.equal(describePack(undefined), "policy pack unknown");
    assert.equal(describePack({ hash: HASH }), "policy pack unknown");
  });

  it("says why a newer pack was refused: the file, the rule and the problem", () => {
    const problem = { file: "policy/rules/brand.toml", rule: "brand.name_forms", message: "severity must be one of error, warning, info, not 'loud'" };
    const text = describePackProblem({ name: "x", hash: HASH, problem });
    assert.match(text, /policy\/rules\/brand\.toml/);
    assert.match(text, /rule brand\.name_forms/);
    assert.match(text, /not 'loud'/);
    assert.match(text, /stays in force/);
    assert.equal(describePackProblem({ name: "x", hash: HASH, problem: null }), "");
  });
});
