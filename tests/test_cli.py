"""The `socialcheck` command, run for real as a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from checker.policy import DEFAULT_PACK


def socialcheck(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={"SOCIALCHECK_GRAMMAR": "off", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_text_from_stdin_lists_findings_and_fails():
    result = socialcheck("text", "-", "--platform", "x", stdin="HUGE NEWS from Leicester Uni!!! Call 07700 900123!!")
    assert result.returncode == 1
    assert "tone.shouting" in result.stdout and "privacy.phone" in result.stdout
    assert "suggestion: University of Leicester" in result.stdout
    assert "not ready" in result.stdout.splitlines()[-1]


def test_clean_post_exits_zero(tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("Applications are now open for our MSc in Data Science.", encoding="utf-8")
    result = socialcheck("text", str(post), "--platform", "linkedin")
    assert result.returncode == 0, result.stdout
    assert "ready to publish" in result.stdout


def test_json_output_is_the_report():
    result = socialcheck("text", "-", "--json", "--profile", "department", stdin="lol idk tbh")
    data = json.loads(result.stdout)
    assert data["file"] == "-"
    assert {f["rule"] for f in data["findings"]} == {"tone.textspeak"}
    assert data["stats"]["profile"] == "department"


def test_json_output_stays_json_when_harper_prints_to_stdout():
    # harper-py 0.2's LookingForwardTo prints "gerund_form: -mining- ..." to descriptor 1.
    text = "Looking forward to mine and the boyfriends 2nd Christmas together"
    result = subprocess.run(
        [sys.executable, "-m", "checker.cli", "text", "-", "--json"],
        input=text, capture_output=True, text=True, timeout=120,
        env={"SOCIALCHECK_GRAMMAR": "harper", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    data = json.loads(result.stdout)  # nothing but the report
    assert "grammar.harper.LookingForwardTo" in {f["rule"] for f in data["findings"]}
    assert "mining" not in result.stdout.replace('"mining"', "") and "gerund" not in result.stderr


def test_unknown_platform_is_a_usage_error():
    result = socialcheck("text", "-", "--platform", "myspace", stdin="Hello")
    assert result.returncode == 2
    assert "unknown platform 'myspace'" in result.stderr and "bluesky" in result.stderr


def test_missing_file_is_a_clear_error():
    result = socialcheck("text", "/no/such/post.txt")
    assert result.returncode == 2 and "No such file" in result.stderr


def test_policy_validate_runs_every_example():
    result = socialcheck("policy", "validate", str(DEFAULT_PACK))
    assert result.returncode == 0, result.stdout
    assert "0 wrong" in result.stdout


def test_policy_validate_reports_a_broken_pack(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    rules = pack / "policy/rules/tone.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('kind = "shouting"', 'kind = "yelling"'), encoding="utf-8")
    result = socialcheck("policy", "validate", str(pack))
    assert result.returncode == 2
    assert "tone.toml" in result.stderr and "tone.shouting" in result.stderr and "unknown kind 'yelling'" in result.stderr


def test_policy_validate_reports_an_example_that_no_longer_holds(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    rules = pack / "policy/rules/brand.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('"Leicester Uni" = "University of Leicester", ', ""), encoding="utf-8")
    result = socialcheck("policy", "validate", str(pack))
    assert result.returncode == 1
    assert "brand.name_forms" in result.stdout and "Leicester Uni open day" in result.stdout
    assert Path(rules).exists()
