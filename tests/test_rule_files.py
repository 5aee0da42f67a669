"""Rule packs: the built-in ones are valid and honest, bad ones are rejected with a clear error."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import span_of

import tonecheck
from tonecheck import CATEGORIES, Config, RuleError
from tonecheck._language import packs
from tonecheck._ruleset.load import CODE_PATTERN, NAME_PATTERN, RuleSet, builtin_rules_dir, load_rules
from tonecheck._ruleset.schema import KINDS, TOOL_CATEGORY

BUILTIN = load_rules()
# every language's packs: the tool rules, which every language loads, once
PACKS = {language: load_rules((), language) for language in packs()}
LANGUAGE_OF = {rule.code: language for language, pack in PACKS.items() for rule in pack.rules if rule.kind != "tool"}
RULES = tuple({rule.code: rule for pack in PACKS.values() for rule in pack.rules}.values())
# every rule on, preview rules included: a rule's examples are checked whatever its status
ALL_RULES = Config(preview=True)
MATCHING = [r for r in RULES if r.kind != "tool"]  # rules the engine runs
TOOLS = [r for r in RULES if r.kind == "tool"]  # checks tonecheck makes itself, outside the engine


def _rule_id(rule) -> str:
    return f"{rule.code}-{rule.name}"


def _run_example(rule, text, config=None):
    """Check a rule's own example the way the rule file says to (mode and context)."""
    context = dict(getattr(rule.examples, "context", None) or {}) or None
    return tonecheck.check(
        text, mode=rule.examples.mode, config=config, context=context, language=LANGUAGE_OF.get(rule.code, "en")
    )


# -- the built-in packs -----------------------------------------------------------------------


def test_builtin_packs_define_rules():
    assert len(RULES) >= 10
    assert {r.category for r in RULES} >= {"negative-language", "passive-aggressive"}


def test_builtin_codes_and_names_are_well_formed_and_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.category in CATEGORIES or (rule.kind == "tool" and rule.category == TOOL_CATEGORY)


def test_schema_patterns_are_the_documented_ones():
    for good in ("NEG001", "PAG123", "TPL999"):
        assert re.match(CODE_PATTERN, good)
    for bad in ("NEG01", "neg001", "NE0001", "NEG0011", "NEG-01", "NEGX01"):
        assert not re.match(CODE_PATTERN, bad)
    for good in ("cannot", "as-i-said", "nth-time", "per-my-last-email", "a1-b2"):
        assert re.match(NAME_PATTERN, good)
    for bad in ("Cannot", "as_i_said", "as--i", "-as", "as-", "1as", "as i"):
        assert not re.match(NAME_PATTERN, bad)


def test_each_pack_sits_in_the_folder_of_its_language_and_category():
    root = builtin_rules_dir()
    for language, pack in PACKS.items():
        for rule in pack.rules:
            source = Path(pack.sources[rule.code]).relative_to(root)
            if rule.kind == "tool":
                assert source.parts[:-1] == ("tool",), (rule.code, source)
            else:
                assert source.parts[:-1] == (language, rule.category), (rule.code, source)


def test_codes_and_names_are_unique_across_languages():
    """A code names one rule whatever the reply's language (baselines, suppressions, measured figures)."""
    codes = [rule.code for pack in PACKS.values() for rule in pack.rules if rule.kind != "tool"]
    names = [rule.name for pack in PACKS.values() for rule in pack.rules if rule.kind != "tool"]
    assert len(codes) == len(set(codes)) and len(names) == len(set(names))
    assert set(PACKS) >= {"en", "ru"}


def test_builtin_rule_files_are_yaml_with_one_category_each():
    files = sorted(builtin_rules_dir().rglob("*.yml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem in ("vocab", "language"):
            continue
        assert data["category"] in CATEGORIES or (path.parent.name == "tool" and data["category"] == TOOL_CATEGORY), (
            path
        )
        for raw in data["rules"]:
            assert "category" not in raw, (path, raw.get("code"))


def test_every_builtin_rule_declares_its_status_and_kind():
    # the defaults are for a team's own rules; a built-in rule says what it is
    declared = {}
    for path in sorted(builtin_rules_dir().rglob("*.yml")):
        if path.stem in ("vocab", "language"):
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            declared[raw["code"]] = (raw.get("status"), raw.get("kind"))
    assert set(declared) == {r.code for r in RULES}
    for code, (status, kind) in declared.items():
        assert status in ("stable", "preview"), code
        assert kind in KINDS, code


def test_every_kind_but_token_pattern_is_in_use_and_tool_rules_are_only_tool_checks():
    assert {r.kind for r in RULES} >= {"phrase", "lexicon", "regex", "detector", "tool"}
    assert [r.code for r in TOOLS] == ["TON100"]


def test_every_rule_has_docs():
    for rule in RULES:
        for field in ("message", "why", "fix"):
            assert getattr(rule, field).strip(), (rule.code, field)
        assert rule.examples.flag and rule.examples.pass_, rule.code


@pytest.mark.parametrize("rule", MATCHING, ids=_rule_id)
def test_flag_examples_are_flagged_by_their_rule(rule):
    config = Config(select=(rule.code,))  # selected by its exact code, a preview rule runs too
    missed = [
        ex for ex in rule.examples.flag if not any(f.code == rule.code for f in _run_example(rule, ex, config).findings)
    ]
    assert missed == [], f"{rule.code} does not flag its own examples: {missed}"


@pytest.mark.parametrize("rule", MATCHING, ids=_rule_id)
def test_flag_examples_are_flagged_in_their_category_with_all_rules_on(rule):
    missed = [ex for ex in rule.examples.flag if not _run_example(rule, ex, ALL_RULES).by_category(rule.category)]
    assert missed == [], f"{rule.category} misses {rule.code} examples: {missed}"


@pytest.mark.parametrize("rule", MATCHING, ids=_rule_id)
def test_pass_examples_are_not_flagged_by_their_rule(rule):
    flagged = {}
    for ex in rule.examples.pass_:
        for config in (ALL_RULES, Config(select=(rule.code,))):
            hits = [f.match for f in _run_example(rule, ex, config).findings if f.code == rule.code]
            if hits:
                flagged[ex] = hits
    assert flagged == {}, f"{rule.code} flags its own pass examples"


@pytest.mark.parametrize("rule", MATCHING, ids=_rule_id)
def test_rule_can_be_selected_alone_and_only_reports_itself(rule):
    config = Config(select=(rule.code,))
    for ex in (*rule.examples.flag, *rule.examples.pass_):
        report = _run_example(rule, ex, config)
        assert {f.code for f in report.findings} <= {rule.code}
        for f in report.findings:
            assert f.name == rule.name and f.category == rule.category


# A tool rule has no matcher: `tonecheck.check` never reports it, and its examples are checked where
# tonecheck makes the check, by linting each example as a saved-reply file through the CLI.


@pytest.mark.parametrize("rule", TOOLS, ids=_rule_id)
def test_tool_rule_examples_are_checked_through_the_cli(rule, tmp_path):
    import json

    from tonecheck._cli import main

    def codes(text: str, *options: str) -> list[str]:
        path = tmp_path / "reply.md"
        path.write_text(text + "\n", encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        main(["check", "--format", "json", *options, str(path)], out=out, err=err)
        assert err.getvalue() == ""
        return [f["code"] for f in json.loads(out.getvalue())["files"][0]["findings"]]

    for example in rule.examples.flag:
        assert rule.code in codes(example), example
        assert rule.code not in codes(example, "--ignore", rule.code), example
        assert rule.code in codes(example, "--select", f"NEG,PAG,{rule.code}"), example
        assert rule.code not in codes(example, "--select", f"NEG,PAG,{rule.code}", "--ignore", rule.name), example
    for example in rule.examples.pass_:
        assert rule.code not in codes(example), example


@pytest.mark.parametrize("rule", TOOLS, ids=_rule_id)
def test_tool_rules_are_never_reported_by_the_engine(rule):
    for example in (*rule.examples.flag, *rule.examples.pass_):
        for config in (None, Config(select=(rule.code,))):
            assert rule.code not in {f.code for f in _run_example(rule, example, config).findings}


# -- writing packs ----------------------------------------------------------------------------


def _rule(**overrides):
    rule = {
        "code": "TST001",
        "name": "frobnicate",
        "severity": "warning",
        "message": '"{match}" frobnicates.',
        "why": "Frobnicating upsets people.",
        "fix": "Do not frobnicate.",
        "kind": "phrase",
        "phrases": ["we (really )?frobnicate the widget"],
        "examples": {"flag": ["We frobnicate the widget."], "pass": ["We fix the widget."]},
    }
    rule.update(overrides)
    return {k: v for k, v in rule.items() if v is not _DROP}


_DROP = object()


def _regex_rule(**overrides):
    return _rule(kind="regex", phrases=_DROP, **overrides)


def _pack(*rules, category="jargon"):
    return {"category": category, "rules": list(rules)}


def _write(folder: Path, data, name: str = "pack.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _load_error(folder: Path) -> str:
    with pytest.raises(RuleError) as info:
        load_rules((str(folder),))
    return str(info.value)


def test_a_valid_pack_loads_and_its_rule_fires(tmp_path):
    _write(tmp_path, _pack(_rule()))
    ruleset = load_rules((str(tmp_path),))
    assert "TST001" in ruleset.by_code()
    assert len(ruleset.rules) == len(BUILTIN.rules) + 1
    text = "Hi Sam,\n\nToday we really frobnicate the widget.\n"
    report = tonecheck.check(text, config=Config(rule_paths=(str(tmp_path),)))
    hits = [f for f in report.findings if f.code == "TST001"]
    assert len(hits) == 1
    start, end = span_of(text, "we really frobnicate the widget")
    assert (hits[0].start, hits[0].end) == (start, end)
    assert hits[0].category == "jargon" and hits[0].name == "frobnicate"
    assert hits[0].message == f'"{text[start:end]}" frobnicates.'
    # without the extra path the rule does not exist
    assert not [f for f in tonecheck.check(text).findings if f.code == "TST001"]


def test_a_single_file_can_be_given_as_rule_path(tmp_path):
    path = _write(tmp_path, _pack(_rule()))
    assert "TST001" in load_rules((str(path),)).by_code()


def test_vocabulary_and_contractions_work_in_custom_phrases(tmp_path):
    _write(tmp_path, _pack(_rule(phrases=["@we @cannot frobnicate"])))
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    for text in (
        "We can't frobnicate.",
        "We can’t frobnicate.",
        "We cannot frobnicate.",
        "Our team is unable to frobnicate.",
        "We really can't frobnicate.",
    ):
        assert [f.code for f in tonecheck.check(text, config=config).findings] == ["TST001"], text
    assert tonecheck.check("We can frobnicate.", config=config).findings == ()


def test_regex_rule_and_case_sensitivity(tmp_path):
    _write(
        tmp_path,
        _pack(
            _regex_rule(
                regex=[r"\bZORK\d+\b"],
                case_sensitive=True,
                examples={"flag": ["See ZORK12."], "pass": ["See zork12."]},
            )
        ),
    )
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    report = tonecheck.check("See ZORK12 and zork13.", config=config)
    assert [f.match for f in report.findings] == ["ZORK12"]


def test_exceptions_and_vetoes_in_custom_rules(tmp_path):
    _write(
        tmp_path,
        _pack(_rule(phrases=["frobnicate"], exceptions=["never frobnicate"], not_before=["gently"], not_after=["if"])),
    )
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    assert tonecheck.check("We frobnicate daily.", config=config).findings
    for text in ("We never frobnicate.", "We frobnicate gently.", "Tell us if frobnicate happens."):
        assert tonecheck.check(text, config=config).findings == (), text


def test_rule_modes_are_respected(tmp_path):
    _write(tmp_path, _pack(_rule(modes=["saved"])))
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    assert tonecheck.check("We frobnicate the widget.", mode="saved", config=config).findings
    assert tonecheck.check("We frobnicate the widget.", mode="draft", config=config).findings == ()


# -- bad packs: file, rule and field named ----------------------------------------------------

BAD_RULES = [
    pytest.param({"colour": "red"}, "colour", id="unknown-field"),
    pytest.param({"phrase": ["frobnicate"]}, "phrase", id="misspelt-field"),
    pytest.param({"message": _DROP}, "message", id="missing-message"),
    pytest.param({"why": _DROP}, "why", id="missing-why"),
    pytest.param({"fix": ""}, "fix", id="empty-fix"),
    pytest.param({"severity": "fatal"}, "severity", id="bad-severity"),
    pytest.param({"name": "Frob_Nicate"}, "name", id="name-not-kebab"),
    pytest.param({"name": "frob--nicate"}, "name", id="name-double-dash"),
    pytest.param({"name": "frob nicate"}, "name", id="name-space"),
    pytest.param({"examples": {"flag": ["x"]}}, "examples", id="examples-without-pass"),
    pytest.param({"examples": _DROP}, "examples", id="no-examples"),
    pytest.param({"regex": ["(unclosed"]}, "regex", id="regex-does-not-compile"),
    pytest.param({"phrases": ["we (frobnicate"]}, "phrases", id="phrase-unclosed-group"),
    pytest.param({"phrases": ["we @nosuchlist frobnicate"]}, "phrases", id="phrase-unknown-vocab"),
    pytest.param({"exceptions": ["(a|b"]}, "exceptions", id="exception-syntax"),
    pytest.param({"not_before": ["x)"]}, "not_before", id="not-before-syntax"),
    pytest.param({"not_after": ["@missing"]}, "not_after", id="not-after-unknown-vocab"),
    pytest.param({"modes": ["sent"]}, "modes", id="bad-mode"),
    pytest.param({"suggestions": [{"title": "x", "applicability": "maybe"}]}, "suggestions", id="bad-applicability"),
    pytest.param({"category": "jargon"}, "category", id="category-per-rule"),
    pytest.param({"options": {"depth": 2}}, "options", id="options-without-detector"),
    # one schema per kind: a field the kind does not use is an error, not silently ignored
    pytest.param({"kind": _DROP}, "kind", id="no-kind"),
    pytest.param({"kind": "phrases"}, "kind", id="unknown-kind"),
    pytest.param({"requires": ["zzz-never-present"]}, "requires", id="phrase-requires-without-regex"),
    pytest.param({"case_sensitive": True}, "case_sensitive", id="phrase-case-sensitive"),
    pytest.param(
        {"regex": [r"frob\w+"], "requires": ["frob"], "case_sensitive": True},
        "case_sensitive",
        id="phrase-with-regex-case-sensitive",
    ),
    pytest.param({"detector": "acronym"}, "detector", id="phrase-with-detector"),
    pytest.param({"patterns": [[{"LOWER": "frob"}]]}, "patterns", id="phrase-with-token-patterns"),
    pytest.param(
        {"kind": "lexicon", "phrases": _DROP, "lexicon": {"frob": "fix"}, "regex": ["frob"]},
        "regex",
        id="lexicon-with-regex",
    ),
    pytest.param({"kind": "regex", "phrases": ["frob"], "regex": ["frob"]}, "phrases", id="regex-with-phrases"),
    pytest.param({"kind": "regex", "phrases": _DROP}, "regex", id="regex-without-regex"),
    pytest.param(
        {"kind": "detector", "phrases": _DROP, "detector": "acronym", "not_after": ["the"]},
        "not_after",
        id="detector-not-after",
    ),
    pytest.param(
        {"kind": "detector", "phrases": _DROP, "detector": "acronym", "at_sentence_start": True},
        "at_sentence_start",
        id="detector-at-sentence-start",
    ),
    pytest.param(
        {"kind": "detector", "phrases": _DROP, "detector": "acronym", "scope": ["greeting"]},
        "scope",
        id="detector-scope",
    ),
    pytest.param(
        {"kind": "detector", "phrases": _DROP, "detector": "acronym", "requires": ["x"]},
        "requires",
        id="detector-requires",
    ),
    pytest.param({"kind": "detector", "phrases": _DROP}, "detector", id="detector-without-detector"),
    pytest.param({"kind": "tool", "phrases": _DROP}, "tool", id="tool-rule-for-no-tool-check"),
    pytest.param(
        {"kind": "tool", "code": "TON100", "phrases": _DROP, "modes": ["saved"]}, "modes", id="tool-rule-modes"
    ),
]


@pytest.mark.parametrize("change, field", BAD_RULES)
def test_bad_rule_names_file_rule_and_field(tmp_path, change, field):
    code = change.get("code", "TST002")
    path = _write(tmp_path, _pack(_rule(code="TST001"), _rule(**{"code": "TST002", "name": "second", **change})))
    message = _load_error(tmp_path)
    assert str(path) in message or path.name in message, message
    assert code in message, message
    assert field in message, message


def test_fields_a_kind_does_not_use_are_errors_that_say_which_kinds_use_them(tmp_path):
    # before kinds, a phrase rule with `requires` and `case_sensitive` and a detector rule with
    # `not_after` loaded, and then matched as if those fields were not there
    _write(tmp_path, _pack(_rule(requires=["zzz-never-present"], case_sensitive=True)))
    assert "field 'case_sensitive': a phrase rule does not use it (a field of regex rules)" in _load_error(tmp_path)
    _write(tmp_path, _pack(_rule(kind="detector", phrases=_DROP, detector="acronym", not_after=["the"])))
    message = _load_error(tmp_path)
    assert "field 'not_after': a detector rule does not use it" in message, message
    assert "phrase, lexicon, regex and token-pattern rules" in message, message
    _write(tmp_path, _pack(_rule(kind=_DROP)))
    assert "field 'kind': required" in _load_error(tmp_path) and "suggest kind: phrase" in _load_error(tmp_path)


def test_a_phrase_rule_may_add_a_regex_gated_by_requires(tmp_path):
    _write(
        tmp_path,
        _pack(
            _rule(phrases=["frobnicate the widget"], regex=[r"\bfrob\w*\s+(?:\w+\s+){1,3}gadget\b"], requires=["frob"])
        ),
    )
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    matches = lambda text: [f.match for f in tonecheck.check(text, config=config).findings]  # noqa: E731
    assert matches("We frobnicate the widget.") == ["frobnicate the widget"]
    assert matches("We FROBNICATED the old gadget.") == ["FROBNICATED the old gadget"]  # the regex ignores case
    assert matches("We polish the old gadget.") == []


@pytest.mark.parametrize("code", ["TS001", "tst001", "TST0001", "TST-01", "T5T001"])
def test_bad_codes_are_rejected(tmp_path, code):
    path = _write(tmp_path, _pack(_rule(code=code)))
    message = _load_error(tmp_path)
    assert path.name in message and "code" in message, message


def test_rule_without_any_matcher_is_rejected(tmp_path):
    path = _write(tmp_path, _pack(_rule(phrases=_DROP)))
    message = _load_error(tmp_path)
    assert path.name in message and "TST001" in message, message


def test_rule_without_a_code_is_named_by_position(tmp_path):
    path = _write(tmp_path, _pack(_rule(code="TST001"), _rule(code=_DROP, name="second")))
    message = _load_error(tmp_path)
    assert path.name in message and "#2" in message and "code" in message, message


def test_bad_pack_category_is_rejected(tmp_path):
    # a team's pack may name a category of its own (tests/test_team_rules.py), in kebab case
    path = _write(tmp_path, _pack(_rule(), category="Rude_ness"))
    message = _load_error(tmp_path)
    assert path.name in message and "category" in message and "house-style" in message, message


def test_pack_with_unknown_top_level_key_is_rejected(tmp_path):
    data = _pack(_rule())
    data["author"] = "me"
    path = _write(tmp_path, data)
    message = _load_error(tmp_path)
    assert path.name in message and "author" in message, message


@pytest.mark.parametrize(
    "content", ["category: jargon\nrules:\n  - code: [unclosed\n", "", "- just\n- a list\n", "category: jargon\n"]
)
def test_unparseable_or_empty_files_are_rule_errors(tmp_path, content):
    path = _write(tmp_path, content)
    message = _load_error(tmp_path)
    assert path.name in message, message


def test_non_utf8_rule_file_is_a_rule_error(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "latin1.yml"
    path.write_bytes("category: jargon\nrules: []\n# caf\xe9\n".encode("latin-1"))
    message = _load_error(tmp_path)
    assert path.name in message, message


def test_yaml_extension_is_loaded_too(tmp_path):
    _write(tmp_path, _pack(_rule()), name="pack.yaml")
    assert "TST001" in load_rules((str(tmp_path),)).by_code()


# -- duplicates -------------------------------------------------------------------------------


def test_code_that_clashes_with_a_builtin_is_rejected(tmp_path):
    taken = RULES[0].code
    path = _write(tmp_path, _pack(_rule(code=taken)))
    message = _load_error(tmp_path)
    assert taken in message and path.name in message, message
    assert BUILTIN.sources[taken] in message or Path(BUILTIN.sources[taken]).name in message, message


def test_duplicate_codes_across_two_files_are_rejected(tmp_path):
    _write(tmp_path, _pack(_rule()), name="a.yml")
    _write(tmp_path, _pack(_rule(name="other-name")), name="b.yml")
    message = _load_error(tmp_path)
    assert "TST001" in message and "a.yml" in message and "b.yml" in message, message


def test_duplicate_codes_in_one_file_are_rejected(tmp_path):
    path = _write(tmp_path, _pack(_rule(), _rule(name="other-name")))
    message = _load_error(tmp_path)
    assert "TST001" in message and path.name in message, message


def test_duplicate_names_are_rejected(tmp_path):
    _write(tmp_path, _pack(_rule(code="TST001"), _rule(code="TST002")))
    message = _load_error(tmp_path)
    assert "frobnicate" in message and "TST00" in message, message


def test_name_that_clashes_with_a_builtin_is_rejected(tmp_path):
    _write(tmp_path, _pack(_rule(name=RULES[0].name)))
    message = _load_error(tmp_path)
    assert RULES[0].name in message, message


def test_duplicate_name_error_names_the_new_rules_file_first(tmp_path):
    taken = BUILTIN.by_code()["NEG040"]
    path = _write(tmp_path, _pack(_rule(name=taken.name)), name="mine.yml")
    message = _load_error(tmp_path)
    # the file to fix is the new one; the rule that already has the name is named after it
    assert message.startswith(f"{path}: rule TST001: name '{taken.name}'"), message
    assert f"NEG040 in {BUILTIN.sources['NEG040']}" in message, message


# -- errors found when the engine is built ----------------------------------------------------


def test_unknown_detector_is_a_rule_error_at_check_time(tmp_path):
    path = _write(tmp_path, _pack(_rule(kind="detector", phrases=_DROP, detector="no-such-detector")))
    with pytest.raises(RuleError) as info:
        tonecheck.check("Hello.", config=Config(rule_paths=(str(tmp_path),)))
    message = str(info.value)
    assert path.name in message and "TST001" in message and "detector" in message, message


def test_unknown_detector_option_is_a_rule_error(tmp_path):
    with_detector = [r for r in RULES if r.kind == "detector"]
    assert with_detector, "the built-in packs use detectors (template-leftover, missing-closing)"
    detector = with_detector[0].detector
    path = _write(
        tmp_path, _pack(_rule(kind="detector", phrases=_DROP, detector=detector, options={"no_such_option": 1}))
    )
    with pytest.raises(RuleError) as info:
        load_rules((str(tmp_path),))
    message = str(info.value)
    assert path.name in message and "TST001" in message and "no_such_option" in message, message


def test_bad_token_pattern_is_a_rule_error_at_check_time(tmp_path):
    path = _write(tmp_path, _pack(_rule(kind="token-pattern", phrases=_DROP, patterns=[[{"LOWR": "frob"}]])))
    with pytest.raises(RuleError) as info:
        tonecheck.check("Hello.", config=Config(rule_paths=(str(tmp_path),)))
    message = str(info.value)
    assert path.name in message and "TST001" in message and "patterns" in message, message


def test_bad_pack_does_not_poison_later_checks(tmp_path):
    _write(tmp_path / "bad", _pack(_rule(severity="fatal")))
    with pytest.raises(RuleError):
        tonecheck.check("We can't.", config=Config(rule_paths=(str(tmp_path / "bad"),)))
    assert tonecheck.check("We can't do that.", config=ALL_RULES).by_category("negative-language")


# -- the on-disk cache of compiled rules ------------------------------------------------------


def _run_module(argv, *, pythonpath, cache_dir, stdin=b"", module="tonecheck"):
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env["PYTHONPATH"] = str(pythonpath)
    env["TONECHECK_CACHE_DIR"] = str(cache_dir)
    env.pop("TONECHECK_NO_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-m", module, *argv] if module else [sys.executable, *argv],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=str(pythonpath),
        timeout=120,
    )
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def _repo_root() -> Path:
    return Path(tonecheck.__file__).resolve().parent.parent


def test_edited_rule_pack_is_seen_by_the_next_process(tmp_path):
    import json

    rules, cache = tmp_path / "rules", tmp_path / "cache"
    _write(rules, _pack(_rule(phrases=["frobnicate the widget"])))
    argv = ["check", "--format", "json", "--rule-path", str(rules), "--select", "TST001"]
    text = b"We frobnicate the widget and zorble the gadget."

    code, out, err = _run_module(argv, pythonpath=_repo_root(), cache_dir=cache, stdin=text)
    assert code == 1, err
    assert [f["match"] for f in json.loads(out)["files"][0]["findings"]] == ["frobnicate the widget"]
    assert any(cache.iterdir()), "no cache was written"

    _write(rules, _pack(_rule(phrases=["zorble the gadget"])))
    code, out, err = _run_module(argv, pythonpath=_repo_root(), cache_dir=cache, stdin=text)
    assert code == 1, err
    assert [f["match"] for f in json.loads(out)["files"][0]["findings"]] == ["zorble the gadget"]


def test_corrupt_cache_files_are_ignored(tmp_path):
    cache = tmp_path / "cache"
    argv = ["check", "--preview", "--format", "json", "--select", "negative-language"]
    code, first, err = _run_module(argv, pythonpath=_repo_root(), cache_dir=cache, stdin=b"We can't do that.")
    assert code == 1, err
    entries = list(cache.glob("*"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"\x80\x04garbage, not a pickle")
    code, second, err = _run_module(argv, pythonpath=_repo_root(), cache_dir=cache, stdin=b"We can't do that.")
    assert code == 1, err
    assert "Traceback" not in err
    assert second == first


def test_cache_written_by_other_tonecheck_code_is_not_reused(tmp_path):
    # A cache entry is only valid for the code that wrote it. Simulate an upgrade (same version
    # number, as with a git checkout or an editable install) whose Rule model gained a field the
    # engine then relies on: the old cache entry must not be handed to the new code.
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(_repo_root() / "tonecheck", copy / "tonecheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(builtin_rules_dir(), copy / "rules")
    cache = tmp_path / "cache"
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import tonecheck\n"
        "from tonecheck._engine.linter import get_engine\n"
        'print(tonecheck.check("We can\'t do that.", config=tonecheck.Config(preview=True)).findings[0].code)\n'
        "print(sorted({getattr(r, 'cache_probe', '<missing>') for r in get_engine().ruleset.rules}))\n",
        encoding="utf-8",
    )
    code, out, err = _run_module([str(probe)], pythonpath=copy, cache_dir=cache, module=None)
    assert code == 0, err
    assert "<missing>" in out
    assert any(cache.iterdir()), "no cache was written"

    rules_py = copy / "tonecheck" / "_ruleset" / "schema.py"
    source = rules_py.read_text(encoding="utf-8")
    marker = "class Rule(_Strict):\n"
    assert marker in source
    rules_py.write_text(source.replace(marker, marker + "    cache_probe: str = 'new'\n", 1), encoding="utf-8")

    code, out, err = _run_module([str(probe)], pythonpath=copy, cache_dir=cache, module=None)
    assert code == 0, err
    assert "['new']" in out, f"stale cached rules from the old code were used: {out!r}"


def test_cache_keeps_only_the_newest_entries(tmp_path, monkeypatch):
    import os

    from tonecheck._engine import cache as _cache

    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TONECHECK_NO_CACHE", raising=False)
    total = _cache.KEEP + 5
    for index in range(total):
        _cache.store(f"entry{index:02d}", {"index": index})
        os.utime(tmp_path / f"entry{index:02d}.pickle", (1_000_000 + index, 1_000_000 + index))
    kept = sorted(path.stem for path in tmp_path.glob("*.pickle"))
    # the prune after each write keeps KEEP entries; the last one written is always among them
    assert len(kept) == _cache.KEEP
    assert kept == [f"entry{index:02d}" for index in range(total - _cache.KEEP, total)]
    assert _cache.load(f"entry{total - 1:02d}") == {"index": total - 1}


def test_phrase_data_survives_the_packed_cache_form():
    from tonecheck._engine.linter import _pack_phrases, _unpack_phrases, get_engine

    data = get_engine()._phrase_data
    restored = _unpack_phrases(_pack_phrases(data))
    # the matcher does not care about the order of a key's phrases, only which they are
    assert [(k, sorted(map(tuple, phrases))) for k, phrases in restored["keywords"]] == [
        (k, sorted(map(tuple, phrases))) for k, phrases in data["keywords"]
    ]
    assert restored["bigrams"] == data["bigrams"]
    assert restored["lexicon_keys"] == data["lexicon_keys"]


# -- vocabulary -------------------------------------------------------------------------------


def test_a_vocab_file_in_a_rule_path_extends_the_builtin_lists(tmp_path):
    # a team's vocab.yml adds words to a built-in list; it never replaces it (which would quietly
    # turn off every built-in phrase that uses the list)
    _write(tmp_path, {"vocab": {"we": ["zzz", "we", "our crew"], "gadgets": ["widget", "gizmo"]}}, name="vocab.yml")
    _write(tmp_path, _pack(_rule(phrases=["@we frobnicate the @gadgets"])))
    ruleset = load_rules((str(tmp_path),))
    builtin_we = BUILTIN.vocab["we"]
    assert ruleset.vocab["we"] == (*builtin_we, "zzz", "our crew")  # appended, no duplicate "we"
    assert ruleset.vocab["gadgets"] == ("widget", "gizmo")
    config = Config(rule_paths=(str(tmp_path),), preview=True)
    codes = lambda text: {f.code for f in tonecheck.check(text, config=config).findings}  # noqa: E731
    assert "NEG001" in codes("Hi Sam, we can't refund this order.")  # the built-in words still work
    assert "NEG001" in codes("Hi Sam, our crew can't refund this order.")  # and the new ones too
    assert "TST001" in codes("Hi Sam, zzz frobnicate the gizmo.")


def test_a_regex_names_a_vocabulary_list_as_an_alternation_of_its_entries(tmp_path):
    # "{@gadgets}" in a regex stands for the list: each entry whole (the longest first, so that
    # "gizmo kit" is matched whole where "gizmo" would also do), its words separated by any run
    # of whitespace
    _write(tmp_path, {"vocab": {"gadgets": ["widget", "gizmo", "gizmo kit"]}}, name="vocab.yml")
    _write(
        tmp_path,
        _pack(
            _regex_rule(
                regex=[r"\bfrobnicate\s+the\s+{@gadgets}\b"],
                requires=["{@gadgets}"],  # one of the list's entries: the regex needs one
                examples={"flag": ["We frobnicate the widget."], "pass": ["We frobnicate the gadget."]},
            )
        ),
    )
    config = Config(rule_paths=(str(tmp_path),), select=("TST001",))
    matches = lambda text: [f.match for f in tonecheck.check(text, config=config).findings]  # noqa: E731
    assert matches("We frobnicate the Widget.") == ["frobnicate the Widget"]
    assert matches("We frobnicate the gizmo\n kit today.") == ["frobnicate the gizmo\n kit"]
    assert matches("We frobnicate the gizmos.") == []
    assert matches("We frobnicate the {@gadgets}.") == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("regex", [r"\bfix\s+the\s+{@gizmos}"]),
        ("requires", ["{@gizmos}", "fix"]),
        ("requires", ["the {@gizmos}"]),  # a list stands alone in requires: this would never be found
    ],
)
def test_an_unknown_list_in_a_regex_or_its_requires_names_file_rule_and_field(tmp_path, field, value):
    rule = _regex_rule(regex=[r"\bfix\b"])
    rule[field] = value
    _write(tmp_path, _pack(rule))
    error = _load_error(tmp_path)
    assert "pack.yml" in error and "TST001" in error and f"field '{field}'" in error and "{@gizmos}" in error


def test_expansions_follow_each_rule_sets_own_vocabulary():
    # Rule sets made and freed in turn, each with its own word list: an expansion must never use a
    # list of an earlier rule set (an id-keyed cache did, once a freed rule set's id was reused).
    import gc

    from tonecheck._text import _lower

    wrong = []
    for index in range(60):  # the id of a freed rule set came back within a few rounds
        ruleset = RuleSet(rules=(), vocab={"team": (f"Crew{index}",)}, skippable=frozenset(), sources={})
        expanded = ruleset.expand_pattern("our @team", normalise=_lower)
        if expanded != [f"our crew{index}"]:
            wrong.append((index, expanded))
        del ruleset
        gc.collect()
    assert wrong == []


def test_phrase_matcher_keys_are_made_and_read_back_in_one_place():
    from tonecheck._ruleset import matcher_keys as keys

    phrases = keys.phrases("NEG001")
    assert keys.parse(phrases) == keys.Key("phrases", "NEG001", phrases)
    assert keys.parse(keys.exceptions(phrases)) == keys.Key("exceptions", "NEG001", phrases)
    entry, capitals = (keys.lexicon_entry("JAR002", 3, capitals=flag) for flag in (False, True))
    assert entry != capitals
    assert keys.parse(entry) == keys.Key("lexicon", "JAR002", entry)
    assert keys.parse(capitals) == keys.Key("lexicon", "JAR002", capitals, capitals_only=True)
    # a detector's sets, and their exceptions, go back to the detector under their own keys
    for name in ("offer-of-help", keys.exceptions("offer-of-help"), "odd#name^"):
        key = keys.detector_set("CLO001", name)
        assert keys.parse(key) == keys.Key("detector-set", "CLO001", key)
    assert keys.exceptions(keys.detector_set("CLO001", "x")) == keys.detector_set("CLO001", keys.exceptions("x"))
    # every key the built-in rules put into the matcher reads back as the rule it came from
    from tonecheck._engine.linter import get_engine

    engine = get_engine(Config(preview=True))
    for key, _ in engine._phrase_data["keywords"]:
        assert keys.parse(key).code in engine.rules, key


def test_an_engine_built_from_the_cache_reads_no_literal_gate(tmp_path, monkeypatch):
    """The literal gates of the rules' regexes and of the context cues (literals.py) are cached
    with the rules: reading them from their sources took most of an engine's build."""
    from tonecheck._engine import linter

    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TONECHECK_NO_CACHE", raising=False)
    first = linter.Engine(Config())
    assert first._gates, "the first build reads the gates"
    monkeypatch.setattr(linter, "gate", lambda source, flags=0: pytest.fail(f"gate read again: {source[:40]}"))
    second = linter.Engine(Config())
    assert second._gates == first._gates
    text = "We can't do that. If you have any other questions, let us know."
    assert second.check(text, mode="draft") == first.check(text, mode="draft")
