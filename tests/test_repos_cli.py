"""Saved-reply repositories, the CLI surface (issue 13, second part): severity selectors (F15),
`tonecheck config` (F16), repository-root paths in CI formats (F28), SARIF help, parse errors and
byte-correct fixes (F29), JUnit per finding (F30), clearer errors (F37) and the rules cache (F38).
Each test reproduces a friction of the usability review in its own words: it failed before the
change that made it pass."""

from __future__ import annotations

import pytest

import tonecheck
from tonecheck import Config, ConfigError

# one jargon finding (JAR003) and one negative-language finding, in an email with a closing
JARGON_AND_NEGATIVE = (
    "Hi Sam,\n\nYour OAuth token expired, so the integration stopped syncing. "
    "You'll have to wait until Monday.\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna\n"
)


def _levels(severity: dict[str, str]) -> dict[str, str]:
    report = tonecheck.check(JARGON_AND_NEGATIVE, config=Config(severity=severity))  # type: ignore[arg-type]
    return {f.code: f.severity.value for f in report.findings}


# -- F15: severity takes selectors -----------------------------------------------------------------


def test_the_sample_has_a_jargon_and_a_negative_language_finding():
    report = tonecheck.check(JARGON_AND_NEGATIVE)
    assert {f.category for f in report.findings} >= {"jargon", "negative-language"}, report.findings
    assert all(f.severity.value == "warning" for f in report.findings if f.category == "jargon")


@pytest.mark.parametrize("selector", ["jargon", "JAR", "jar0", "JAR00"])
def test_severity_accepts_a_category_or_a_code_prefix(selector):
    levels = _levels({selector: "info"})
    jargon = {code: level for code, level in levels.items() if code.startswith("JAR")}
    assert jargon and set(jargon.values()) == {"info"}, levels
    assert all(level != "info" for code, level in levels.items() if code.startswith("NEG")), levels


def test_the_most_specific_severity_selector_wins():
    code = next(f.code for f in tonecheck.check(JARGON_AND_NEGATIVE).findings if f.category == "jargon")
    # exact code over prefix over category, whatever the order of the keys
    assert _levels({"jargon": "error", "JAR": "info", code: "warning"})[code] == "warning"
    assert _levels({code: "warning", "JAR": "info", "jargon": "error"})[code] == "warning"
    assert _levels({"jargon": "error", "JAR": "info"})[code] == "info"
    assert _levels({"JAR": "info", "jargon": "error"})[code] == "info"
    # a longer prefix is more specific than a shorter one
    assert _levels({"JAR": "info", "JAR0": "error"})[code] == "error"


@pytest.mark.parametrize(("selector", "nearest"), [("jargn", "jargon"), ("JRA", "JAR"), ("NEG9", None)])
def test_an_unknown_severity_selector_is_an_error_with_the_nearest_name(selector, nearest):
    with pytest.raises(ConfigError) as caught:
        tonecheck.check("Hi.", config=Config(severity={selector: "info"}))  # type: ignore[dict-item]
    message = str(caught.value)
    assert f"key 'severity': unknown rule selector {selector!r}" in message, message
    if nearest is not None:
        assert f"did you mean {nearest!r}" in message, message


def test_a_severity_category_in_the_config_file_applies_on_the_command_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(JARGON_AND_NEGATIVE, encoding="utf-8")
    (tmp_path / "tonecheck.toml").write_text('[severity]\njargon = "info"\n', encoding="utf-8")
    result = run_cli(["check", "reply.txt", "--format", "json"])
    import json

    findings = json.loads(result.out)["files"][0]["findings"]
    jargon = [f for f in findings if f["category"] == "jargon"]
    assert jargon and all(f["severity"] == "info" for f in jargon), result
