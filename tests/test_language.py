"""A language's words are data (rules/<language>/language.yml): the file is validated strictly,
every list in it is what the code reads, and the greeting words are one list for every check."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import Config, RuleError
from tonecheck._anatomy import analyse
from tonecheck._engine.linter import Engine
from tonecheck._engine.tidy import tidy
from tonecheck._language import Language, language_data, language_file, load_language, packs, words_regex
from tonecheck._ruleset.load import builtin_rules_dir, load_rules, rule_files

ENGLISH = language_data("en")
RAW = yaml.safe_load(language_file("en").read_text(encoding="utf-8"))


def _write_language(folder: Path, data: Any) -> Path:
    path = folder / "xx" / "language.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _changed(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Language:
    """English with one change, loaded from a copy of the file."""
    data = copy.deepcopy(RAW)
    change(data)
    return load_language(_write_language(tmp_path, data), "en")


def _add(section: str, field: str, *words: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data[section]
        for key in field.split("."):
            target = target[key]
        target.extend(words)

    return change


def _regions(text: str, language: Language) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for region in analyse(text, language).regions:
        found.setdefault(region.kind, []).append(text[region.start : region.end])
    return found


def _codes(text: str, language: Language, config: Config, **kwargs: Any) -> list[tuple[str, str]]:
    return [(f.code, f.match) for f in Engine(config, language).check(text, mode="draft", **kwargs).findings]


# -- the file and its schema ---------------------------------------------------------------------


def test_the_english_file_loads_and_is_the_engines_language():
    assert ENGLISH.code == "en"
    assert language_data("en") is ENGLISH  # read once per process
    assert tonecheck._engine.linter.get_engine().language.data == ENGLISH.data


def test_the_language_file_is_not_a_rule_pack():
    for code in packs():
        files = rule_files((), code)
        assert language_file(code).is_file()
        assert language_file(code).parent.parent == builtin_rules_dir()
        assert language_file(code) not in files and all(path.name != "language.yml" for path in files)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["greetings"].update(wordz=["hi"]), "greetings.wordz"),
        (lambda d: d.pop("articles"), "articles"),
        (lambda d: d["greetings"].update(words=[]), "greetings.words"),
        (lambda d: d["greetings"]["words"].append("good (morning"), "greetings.words.12"),
        (lambda d: d["greetings"]["words"].append(7), "greetings.words.12"),
        (lambda d: d["greetings"].update(need_a_name=["yo"]), "greetings"),
        (lambda d: d["greetings"]["titles"].append("dr med"), "greetings.titles.6"),
        (lambda d: d["signoffs"].update(phrases="cheers"), "signoffs.phrases"),
        (lambda d: d["history"]["reply_header"].pop("ends"), "history.reply_header.ends"),
        (lambda d: d["articles"].update(before_vowel_sound=None), "articles"),
        (lambda d: d["articles"].update(before_vowel_sound="ann"), "articles"),
        (lambda d: d["contractions"]["words"].update({"Can't": "can not"}), "contractions.words"),
        (lambda d: d.update(extra={}), "extra"),
        (lambda d: d["matching"].update(words="stems"), "matching.words"),
        (lambda d: d["footer"].update(begins=["impressum"]), "footer.begins"),
        (lambda d: d["closing"]["header_names"].append("Re: x"), "closing.header_names.8"),
        (lambda d: d["acronyms"].update(small_words="of"), "acronyms.small_words"),
        (lambda d: d["grammar"].update(function_word=["the"]), "grammar.function_word"),
    ],
)
def test_a_bad_language_file_names_the_file_and_the_field(tmp_path, change, field):
    data = copy.deepcopy(RAW)
    change(data)
    path = _write_language(tmp_path, data)
    with pytest.raises(RuleError) as info:
        load_language(path)
    message = str(info.value)
    assert message.startswith(f"{path}: field '{field}'"), message


def test_need_a_name_error_says_what_is_wrong(tmp_path):
    path = _write_language(tmp_path, {**RAW, "greetings": {**RAW["greetings"], "need_a_name": ["yo"]}})
    with pytest.raises(RuleError, match=r"need_a_name: 'yo' is not one of the greeting words"):
        load_language(path)


@pytest.mark.parametrize("content", ["greetings: [a", "", "- just\n- a list\n"])
def test_unparseable_or_empty_language_files_are_rule_errors(tmp_path, content):
    path = _write_language(tmp_path, content)
    with pytest.raises(RuleError, match=rf"^{path}: "):
        load_language(path)


def test_words_regex_factors_shared_beginnings_and_escapes():
    assert words_regex(["thanks (again|so much)?", "thank you"]) == (
        r"(?:thanks(?:[ \t]+(?:again|so[ \t]+much))?|thank[ \t]+you)"
    )
    assert words_regex(["S.A.", "Co."]) == r"(?:S\.A\.|Co\.)"
    assert words_regex([]) == "(?!)"  # an empty list matches nothing, not everything


# -- every list is what the code reads -----------------------------------------------------------

GREETING_WORD = "ahoy"


def test_one_list_of_greeting_words_serves_every_check(tmp_path):
    """A greeting word added to the data is a greeting to the anatomy, and to the empty-name,
    pasted-twice and wrong-name checks, with no code change."""
    pirate = _changed(tmp_path, _add("greetings", "words", GREETING_WORD))
    config = Config(select=["TPL004", "TPL005", "TPL006"])
    cases = [
        ("Ahoy ,\n\nYour order shipped.", {}, [("TPL004", "Ahoy ,")]),
        ("Ahoy undefined,\n\nYour order shipped.", {}, [("TPL004", "Ahoy undefined,")]),
        ("Ahoy Tom,\nAhoy Tom,\n\nYour order shipped.", {}, [("TPL005", "Ahoy Tom,")]),
        ("Ahoy John,\n\nYour order shipped.", {"customer_name": "Sara"}, [("TPL006", "John")]),
    ]
    for text, context, expected in cases:
        assert _codes(text, pirate, config, context=context) == expected, text
        assert _codes(text, ENGLISH, config, context=context) == [], text
    text = "Ahoy Sam,\n\nYour order shipped today."
    assert _regions(text, pirate)["greeting"] == ["Ahoy Sam,"]
    assert "greeting" not in _regions(text, ENGLISH)


def test_the_unified_greetings_reach_the_name_checks():
    """Greetings the anatomy always knew ("Hiya", "Howdy") are now greetings to the name checks too."""
    config = Config(select=["TPL004", "TPL006"])
    for greeting in ("Hiya", "Howdy", "Good day", "Bonjour"):
        text = f"{greeting} John,\n\nYour order shipped."
        assert _codes(text, ENGLISH, config, context={"customer_name": "Sara"}) == [("TPL006", "John")], text
        assert _codes(f"{greeting} ,\n\nYour order shipped.", ENGLISH, config) == [("TPL004", f"{greeting} ,")]
    # words after the new greetings that are no one's name
    for text in (
        "Welcome to Acme!\n\nYour order shipped.",
        "Welcome Back!\n\nYour order shipped.",
        "Greetings from Acme,\n\nYour order shipped.",
        "Greetings for the day!\n\nYour order shipped.",
    ):
        assert _codes(text, ENGLISH, config, context={"customer_name": "Sara"}) == [], text


def test_the_audit_redaction_and_the_rewrite_grammar_read_the_one_list_of_greetings(tmp_path, monkeypatch):
    """The audit's redaction and the rewrite grammar keep no greeting words of their own: a word
    added to `greetings.words` in a copy of the data is a greeting to both, as it is to the anatomy."""
    from tonecheck import _language
    from tonecheck._audit.redact import redact
    from tonecheck._engine import grammar

    text = "Ahoy Sam, you need to restart it."
    after_greeting = text.index("you")
    assert redact(text) == text
    assert not grammar.opens_sentence(text, after_greeting)
    assert redact("Hi Sam, you need to restart it.") == "Hi [name], you need to restart it."
    monkeypatch.setitem(_language._LOADED, "en", _changed(tmp_path, _add("greetings", "words", GREETING_WORD)))
    assert redact(text) == "Ahoy [name], you need to restart it."
    assert redact("Ahoy There, you need to restart it.") == "Ahoy There, you need to restart it."  # not_names
    assert grammar.opens_sentence(text, after_greeting)


def _anatomy_case(text: str, kind: str, expected: list[str]) -> Callable[[Language], bool]:
    return lambda language: _regions(text, language).get(kind) == expected


BODY = "Hi Sam,\n\nYour order shipped today.\n\n"
QUOTE = "They asked about the order.\n"

LISTS = [
    pytest.param(
        _add("greetings", "need_a_name", "hello"),
        lambda lang: _codes("Hello,\n\nYour order shipped.", lang, Config(select=["TPL004"])) == [("TPL004", "Hello,")],
        id="greetings.need_a_name",
    ),
    pytest.param(
        _add("greetings", "titles", "prof"),
        lambda lang: (
            _codes(
                "Dear Prof. Lopez,\n\nYour order shipped.",
                lang,
                Config(select=["TPL006"]),
                context={"customer_name": "Sara Lopez"},
            )
            == []
        ),
        id="greetings.titles",
    ),
    pytest.param(
        _add("greetings", "not_names", "amigo"),
        lambda lang: (
            _codes(
                "Hi Amigo,\n\nYour order shipped.", lang, Config(select=["TPL006"]), context={"customer_name": "Sara"}
            )
            == []
        ),
        id="greetings.not_names",
    ),
    pytest.param(
        _add("signoffs", "phrases", "ciao"),
        _anatomy_case(BODY + "Ciao!\nAna", "signoff", ["Ciao!\nAna"]),
        id="signoffs.phrases",
    ),
    pytest.param(
        _add("history", "reply_header.ends", "penned:"),
        _anatomy_case(BODY + "On Monday, Tom penned:\n" + QUOTE, "quoted", ["On Monday, Tom penned:\n" + QUOTE]),
        id="history.reply_header.ends",
    ),
    pytest.param(
        _add("history", "reply_header.starts", "at"),
        _anatomy_case(BODY + "At 10:02, Tom wrote:\n" + QUOTE, "quoted", ["At 10:02, Tom wrote:\n" + QUOTE]),
        id="history.reply_header.starts",
    ),
    pytest.param(
        _add("history", "dashed", "ursprüngliche nachricht"),
        _anatomy_case(
            BODY + "-----Ursprüngliche Nachricht-----\n" + QUOTE,
            "quoted",
            ["-----Ursprüngliche Nachricht-----\n" + QUOTE],
        ),
        id="history.dashed",
    ),
    pytest.param(
        _add("history", "lines", "forwarded conversation"),
        _anatomy_case(BODY + "Forwarded conversation\n" + QUOTE, "quoted", ["Forwarded conversation\n" + QUOTE]),
        id="history.lines",
    ),
    pytest.param(
        _add("history", "header_block.second", "when:"),
        _anatomy_case(BODY + "From: Tom\nWhen: Monday\n" + QUOTE, "quoted", ["From: Tom\nWhen: Monday\n" + QUOTE]),
        id="history.header_block.second",
    ),
    pytest.param(
        _add("signature", "company_abbreviations", "GmbH."),
        _anatomy_case(BODY + "Ana Lopez\nExample GmbH.", "signoff", ["Ana Lopez\nExample GmbH."]),
        id="signature.company_abbreviations",
    ),
]


@pytest.mark.parametrize(("change", "seen"), LISTS)
def test_each_list_is_read_from_the_data(tmp_path, change, seen):
    """Adding a word to a copy of the data changes what the code sees; English as shipped does not."""
    assert not seen(ENGLISH)
    assert seen(_changed(tmp_path, change))


FOOTER_REPLY = BODY + "Best,\nAna\nAbmelden: example.com/prefs"
# the words before an acronym spell it out, skipping small words ("Terms of Service" for "TOS")
SPELLED = "Read the Terms zu Service "


def _spelled_out(text: str, acronym: str, language: Language) -> bool:
    from tonecheck._detectors.acronyms import _spelled_out_before

    return _spelled_out_before(text, len(text), acronym, language)


def _bare_term(term: str, language: Language) -> str:
    from tonecheck._detectors.acronyms import _bare_term

    return _bare_term(term, language)


def _pleasantry(sentence: str, language: Language) -> bool:
    from tonecheck._detectors.closing import _Words

    return bool(language.derived(_Words).pleasantry.fullmatch(sentence))


def _after_headers(text: str, language: Language) -> int:
    from tonecheck._detectors.closing import _after_headers

    return _after_headers(text, 0, len(text), language)


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        pytest.param(
            _add("footer", "starts", "abmelden"),
            _anatomy_case(FOOTER_REPLY, "footer", ["Abmelden: example.com/prefs"]),
            id="footer.starts",
        ),
        pytest.param(
            _add("footer", "words", "abmelden"),
            _anatomy_case(FOOTER_REPLY, "footer", ["Abmelden: example.com/prefs"]),
            id="footer.words",
        ),
        pytest.param(
            _add("closing", "pleasantries", "saludos"),
            lambda lang: _pleasantry("Saludos a todos!", lang),
            id="closing.pleasantries",
        ),
        pytest.param(
            _add("closing", "header_names", "Asunto"),
            lambda lang: _after_headers("Asunto: your order\n\nHi Sam", lang) == len("Asunto: your order\n\n"),
            id="closing.header_names",
        ),
        pytest.param(
            _add("acronyms", "small_words", "zu"),
            lambda lang: _spelled_out(SPELLED, "TS", lang),
            id="acronyms.small_words",
        ),
        pytest.param(
            _add("acronyms", "term_openers", "via"),
            lambda lang: _bare_term("via API", lang) == "api",
            id="acronyms.term_openers",
        ),
        pytest.param(
            _add("acronyms", "function_words", "quux"),
            lambda lang: (
                _codes("Hi Sam,\n\nWe set up Quux QZX for your team.\n\nThanks,\nAna", lang, JARGON)
                == [("JAR010", "QZX")]
            ),
            id="acronyms.function_words",
        ),
    ],
)
def test_footer_closing_and_acronym_words_are_read_from_the_data(tmp_path, change, seen):
    """A second language's footer words, pleasantries, mail headers and small words are data: a
    word added to a copy of the data is recognised, English as shipped does not know it."""
    assert not seen(ENGLISH)
    assert seen(_changed(tmp_path, change))


def test_english_words_do_not_reach_a_language_without_them():
    """Russian lists no footer words, pleasantries or small words of its own: it sees none, and
    never English ones."""
    russian = language_data("ru")
    footer = BODY + "Best,\nAna\nUnsubscribe: example.com/prefs"
    assert _regions(footer, ENGLISH)["footer"] == ["Unsubscribe: example.com/prefs"]
    assert "footer" not in _regions(footer, russian)
    assert _pleasantry("Thanks again for your patience!", ENGLISH)
    assert not _pleasantry("Thanks again for your patience!", russian)
    assert _spelled_out("Read the Terms and Service ", "TS", ENGLISH)
    assert not _spelled_out("Read the Terms and Service ", "TS", russian)


def test_the_rewrite_grammar_reads_its_words_from_the_data(tmp_path, monkeypatch):
    """The grammar's word classes are English's data: a verb added to `grammar.states` is no
    longer a step a request can ask for."""
    from tonecheck import _language
    from tonecheck._engine import grammar

    text = "You need to restart it."
    obligation = len("You need to")
    assert grammar.request_fits(text, 0, obligation)
    monkeypatch.setitem(_language._LOADED, "en", _changed(tmp_path, _add("grammar", "states", "restart")))
    monkeypatch.setattr(grammar, "_STATES", grammar._Listed("states"))
    assert not grammar.request_fits(text, 0, obligation)


def _grammar():
    from tonecheck._engine import grammar

    return grammar


GRAMMAR_LISTS = [
    pytest.param(
        _add("grammar", "general_subjects", "members"),
        lambda: not _grammar().request_fits("Members need to restart it.", 0, len("Members need to")),
        id="grammar.general_subjects",
    ),
    pytest.param(
        _add("grammar", "state_steps", "have a think"),
        lambda: _grammar().request_fits("You need to have a think about it.", 0, len("You need to")),
        id="grammar.state_steps",
    ),
    pytest.param(
        _add("grammar", "requests", "pls"), lambda: _grammar().opens_request("Pls restart it."), id="grammar.requests"
    ),
    pytest.param(
        _add("grammar", "first_person", "We"),
        lambda: _grammar().lower_slot("We did it") == "We did it",
        id="grammar.first_person",
    ),
    pytest.param(
        _add("articles", "consonant_sound_starts", "hou"),
        lambda: _grammar().plain_edit("We offer an SLA.", 9, 15, "hour of support") == (9, 15, "a hour of support"),
        id="articles.consonant_sound_starts",
    ),
]


@pytest.mark.parametrize(("change", "seen"), GRAMMAR_LISTS)
def test_the_rewrite_grammar_reads_each_list_from_the_data(tmp_path, monkeypatch, change, seen):
    """The rewrite grammar keeps no English words in its code: a word added to a copy of the data
    changes what it decides, with nothing else reset."""
    from tonecheck import _language

    assert not seen()
    monkeypatch.setitem(_language._LOADED, "en", _changed(tmp_path, change))
    assert seen()


def test_the_rewrite_grammar_picks_a_or_an_by_sound():
    """A wording put after the term's own "a"/"an" takes the article of its sound, as the fixer's
    tidying does (language.yml `articles`): "a user agreement", "an hour of support"."""
    grammar = _grammar()
    assert grammar.plain_edit("We offer an SLA.", 9, 15, "user agreement") == (9, 15, "a user agreement")
    assert grammar.plain_edit("We offer a SLA.", 9, 14, "hour of support") == (9, 14, "an hour of support")
    assert grammar.plain_edit("We offer a SLA.", 9, 14, "uptime promise") == (9, 14, "an uptime promise")


LANGUAGE_WORD_SECTIONS = ("greetings", "footer", "closing", "acronyms", "grammar")
# the modules whose English words moved to the data
WORDLESS_MODULES = (
    "_anatomy.py",
    "_detectors/closing.py",
    "_detectors/acronyms.py",
    "_engine/grammar.py",
    "_engine/suggest.py",
    "_audit/redact.py",
)


def test_every_english_word_list_is_filled_and_read_by_the_code():
    package = Path(tonecheck.__file__).parent
    grammar_source = (package / "_engine" / "grammar.py").read_text(encoding="utf-8")
    for section in LANGUAGE_WORD_SECTIONS:
        lists = getattr(ENGLISH.data, section)
        for field in type(lists).model_fields:
            assert getattr(lists, field), f"{section}.{field} is empty in English"
            if section == "grammar":
                assert f'_Listed("{field}")' in grammar_source or f"d.grammar.{field}" in grammar_source, field


def _string_literals(path: Path) -> list[str]:
    """The strings in a module's code (not its docstrings, which may quote examples)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value.lower()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


# closed-class words, which any English message in the code holds
CLOSED_CLASS = {
    "function_words",
    "determiners",
    "prepositions",
    "auxiliaries",
    "object_pronouns",
    "particles",
    "stacking",
    "verb_context",
    "phrase_ends",
    "negations",
}


def test_no_english_word_list_is_back_in_code():
    """No string in the code of these modules holds the data's words again: no phrase of the
    footer, closing, acronym and grammar lists, and no three of their open-class words."""
    from tonecheck._language import expanded

    phrases: set[str] = set()
    words: set[str] = set()
    for section in LANGUAGE_WORD_SECTIONS:
        lists = getattr(ENGLISH.data, section)
        for field in type(lists).model_fields:
            for phrase in expanded(getattr(lists, field)):
                if " " in phrase and "*" not in phrase:
                    phrases.add(phrase.lower())
                elif field not in CLOSED_CLASS and len(phrase) >= 4 and "*" not in phrase:
                    words.add(phrase.lower())
    package = Path(tonecheck.__file__).parent
    for module in WORDLESS_MODULES:
        for literal in _string_literals(package / module):
            found = [w for w in phrases | words if re.search(rf"(?<![\w'’]){re.escape(w)}(?![\w'’])", literal)]
            assert not (set(found) & phrases) and len(found) < 3, f"{module}: {literal!r} holds {found}"


JARGON = Config(select=["JAR010"])


@pytest.mark.parametrize(
    ("change", "text"),
    [
        pytest.param(
            _add("explanations", "after_comma", "to wit"),
            "Use QZX, to wit the one login for all apps.",
            id="explanations.after_comma",
        ),
        pytest.param(
            _add("explanations", "after", "signifies"), "Here QZX signifies the login page.", id="explanations.after"
        ),
        pytest.param(
            _add("explanations", "before", "dubbed"), "Open the tool dubbed QZX on the left.", id="explanations.before"
        ),
        pytest.param(
            _add("explanations", "appositive_openers", "this"),
            "Open QZX, this login page, first.",
            id="explanations.appositive_openers",
        ),
    ],
)
def test_explanation_cues_are_read_from_the_data(tmp_path, change, text):
    reply = f"Hi Sam,\n\n{text}\n\nBest,\nAna"
    assert [code for code, _ in _codes(reply, ENGLISH, JARGON)] == ["JAR010"]
    assert _codes(reply, _changed(tmp_path, change), JARGON) == []


def test_a_verb_in_appositive_not_makes_the_phrase_a_clause(tmp_path):
    reply = "Hi Sam,\n\nOpen QZX, the page loads slowly.\n\nBest,\nAna"
    assert _codes(reply, ENGLISH, JARGON) == []  # read as a gloss: "the page loads slowly"
    assert [
        code for code, _ in _codes(reply, _changed(tmp_path, _add("explanations", "appositive_not", "loads")), JARGON)
    ] == ["JAR010"]


def test_articles_are_read_from_the_data(tmp_path):
    text = "Please send a file today."
    start, end = text.index("file"), text.index("file") + len("file")
    assert tidy(text, start, end, "x-ray image", ENGLISH) == (start, end, "x-ray image")
    xray = _changed(tmp_path, _add("articles", "vowel_sound_starts", "x"))
    assert tidy(text, start, end, "x-ray image", xray) == (start - 2, end, "an x-ray image")
    # determiners are not repeated: "his the report" would read wrong
    other = "Please read his report."
    at = other.index("report")
    assert tidy(other, at, at + 6, "the summary", ENGLISH) == (at, at + 6, "the summary")
    his = _changed(tmp_path, _add("articles", "determiners", "his"))
    assert tidy(other, at, at + 6, "the summary", his) == (at, at + 6, "summary")
    # whole words with a consonant sound
    once = "Buy a book."
    at = once.index("book")
    assert tidy(once, at, at + 4, "ouija board", ENGLISH) == (at - 2, at + 4, "an ouija board")
    ouija = _changed(tmp_path, _add("articles", "consonant_sound_words", "ouija"))
    assert tidy(once, at, at + 4, "ouija board", ouija) == (at, at + 4, "ouija board")


def test_english_articles_still_go_by_sound():
    text = "We sent a file."
    at = text.index("file")
    assert tidy(text, at, at + 4, "update") == (at - 2, at + 4, "an update")
    assert tidy(text, at, at + 4, "one-time code") == (at, at + 4, "one-time code")
    assert tidy(text, at, at + 4, "hour-long video") == (at - 2, at + 4, "an hour-long video")
    text = "We sent an email."
    at = text.index("email")
    assert tidy(text, at, at + 5, "user guide") == (at - 3, at + 5, "a user guide")


def test_contractions_are_read_from_the_data(tmp_path):
    """Context vetoes compare spelled-out text: a contraction the data knows matches its spelling."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "pack.yml").write_text(
        yaml.safe_dump(
            {
                "category": "jargon",
                "rules": [
                    {
                        "code": "TST001",
                        "kind": "phrase",
                        "name": "frobnicate",
                        "message": '"{match}" frobnicates.',
                        "why": "Because.",
                        "fix": "Don't.",
                        "phrases": ["frobnicate"],
                        "not_after": ["we would"],
                        "examples": {"flag": ["We frobnicate."], "pass": ["We would frobnicate."]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    config = Config(rule_paths=(str(rules),), select=["TST001"])
    text = "Hi Sam,\n\nWe'd frobnicate it.\n\nBest,\nAna"
    assert _codes(text, ENGLISH, config) == [("TST001", "frobnicate")]
    would = _changed(tmp_path, lambda d: d["contractions"]["endings"].update({"'d": "would"}))
    assert _codes(text, would, config) == []
    assert _codes("Hi Sam,\n\nWe would frobnicate it.\n\nBest,\nAna", ENGLISH, config) == []


# -- each reply's language ------------------------------------------------------------------------

GERMAN = (
    "Guten Tag Frau Weber,\n\nvielen Dank für Ihre Nachricht. Leider können wir die Bestellung nicht mehr "
    "ändern, da sie bereits verschickt wurde.\n\nMit freundlichen Grüßen\nJonas"
)
# an English rule would flag this if it ran on the reply ("Hi ," is an empty name in English)
GERMAN_WITH_ENGLISH_TRIGGER = "Hi ,\n\n" + GERMAN


def test_a_reply_in_a_language_without_rules_is_not_checked():
    report = tonecheck.check(GERMAN_WITH_ENGLISH_TRIGGER)
    assert report.language == "de"
    assert report.findings == ()
    assert report.notes == ("not checked: no rules for de",)
    assert not report.checked
    # the same words in an English reply are flagged
    english = tonecheck.check("Hi ,\n\nYour order shipped today and should arrive on Friday.")
    assert english.language == "en" and english.checked and english.notes == ()
    assert [f.code for f in english.findings] == ["TPL004"]


def test_language_given_in_the_call_or_the_configuration_wins_over_detection():
    assert [f.code for f in tonecheck.check(GERMAN_WITH_ENGLISH_TRIGGER, language="en").findings] == ["TPL004"]
    assert tonecheck.check(GERMAN_WITH_ENGLISH_TRIGGER, language="auto").language == "de"
    forced = tonecheck.check(GERMAN_WITH_ENGLISH_TRIGGER, config=Config(language="en"))
    assert forced.language == "en" and [f.code for f in forced.findings] == ["TPL004"]
    # a language given for a reply that has no pack: not checked, whatever the text
    report = tonecheck.check("Hi ,\n\nYour order shipped.", language="fr")
    assert (report.language, report.findings, report.notes) == ("fr", (), ("not checked: no rules for fr",))


@pytest.mark.parametrize("value", ["english", "EN", "e", 7, "en-GB", "en\n", "None", ["en"]])
def test_a_bad_language_is_an_input_error(value):
    # (after good calls in each mode: the options of a call that names a language are kept for the
    # next such call, and must never let a bad one through)
    for mode in ("draft", "saved"):
        assert tonecheck.check("Your order shipped.", mode=mode, language="en").language == "en"
    with pytest.raises(tonecheck.InputError, match="language must be"):
        tonecheck.check("Your order shipped.", language=value)
    with pytest.raises(tonecheck.InputError, match="language must be"):
        tonecheck.Linter().check("Your order shipped.", mode="saved", language=value)


def test_a_bad_language_in_the_configuration_names_the_key():
    with pytest.raises(tonecheck.ConfigError, match="key 'language'"):
        Config(language="english")
    with pytest.raises(tonecheck.ConfigError, match="key 'languages'"):
        Config(languages={"de/*": "German"})
    with pytest.raises(tonecheck.ConfigError, match="key 'default[-_]language'"):
        Config(default_language="English")


def test_the_default_language_is_that_of_short_replies_in_its_script():
    short = "Thanks, done!"
    assert tonecheck.check(short).language == "en"
    german_team = Config(default_language="de")
    assert tonecheck.check(short, config=german_team).notes == ("not checked: no rules for de",)
    # a long reply is still detected, and a short one in another script goes to that script's pack
    long_english = "Hi ,\n\nYour order shipped today and should arrive on Friday, as promised."
    assert tonecheck.check(long_english, config=german_team).language == "en"


def test_language_per_glob_in_the_configuration(tmp_path):
    (tmp_path / "tonecheck.toml").write_text('[languages]\n"forced/*" = "en"\n', encoding="utf-8")
    for folder in ("forced", "free"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "reply.txt").write_text(GERMAN_WITH_ENGLISH_TRIGGER, encoding="utf-8")
    forced = tonecheck.check_file(tmp_path / "forced" / "reply.txt")
    free = tonecheck.check_file(tmp_path / "free" / "reply.txt")
    assert [(r.language, [f.code for f in r.findings]) for r in forced.replies] == [("en", ["TPL004"])]
    assert [(r.language, r.findings, r.notes) for r in free.replies] == [("de", (), ("not checked: no rules for de",))]
    # the call's language is before the globs
    assert tonecheck.check_file(tmp_path / "forced" / "reply.txt", language="de").replies[0].language == "de"


def test_the_cli_reports_unchecked_replies_and_takes_a_language(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(GERMAN_WITH_ENGLISH_TRIGGER, encoding="utf-8")
    env = {**os.environ}
    run = [sys.executable, "-m", "tonecheck", "check"]
    text = subprocess.run([*run, str(path)], capture_output=True, env=env, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert f"{path}: note: not checked: no rules for de" in text.stdout
    assert "Found 0 problems in 1 file (1 reply not checked)." in text.stdout
    stats = subprocess.run([*run, "--statistics", str(path)], capture_output=True, env=env, text=True, timeout=120)
    assert stats.stdout.split() == ["1", "note", "not", "checked:", "no", "rules", "for", "de"]
    forced = subprocess.run([*run, "--language", "en", str(path)], capture_output=True, env=env, text=True, timeout=120)
    assert forced.returncode == 1 and "TPL004" in forced.stdout
    bad = subprocess.run(
        [*run, "--language", "German", str(path)], capture_output=True, env=env, text=True, timeout=120
    )
    assert bad.returncode == 2 and "key 'language'" in bad.stderr and "Traceback" not in bad.stderr


# Short replies as agents write them: too little text for a statistical detector, so they are
# taken to be in the language of their script's pack (English for Latin letters).
SHORT_ENGLISH = [
    "Thanks!",
    "Done.",
    "Ok, will do.",
    "Sure thing, Maria.",
    "Refund sent :)",
    "No problem at all!",
    "Fixed now, thanks for flagging.",
    "Ta, see you Monday.",
    "@lena_k DM us your order number please.",
    "Hi Pat, yes, that's right.",
    "Merci for waiting, Ana!",
    "Bonjour! Your parcel left today.",
]


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_replies_are_english(text):
    assert tonecheck.check(text).language == "en"


def test_the_detector_model_loads_once_and_only_for_replies_long_enough(monkeypatch):
    from tonecheck import _langid

    monkeypatch.setattr(_langid, "_IDENTIFIER", None)
    monkeypatch.setattr(_langid, "loads", 0)
    for text in SHORT_ENGLISH:
        _langid.detect(text, default="en", by_script={"Latin": "en"})
    assert _langid.loads == 0
    for _ in range(3):
        assert _langid.detect(GERMAN, default="en", by_script={"Latin": "en"}) == "de"
    assert _langid.loads == 1


def _long_noisy_texts() -> list[str]:
    """Long texts whose noise (links, addresses, placeholders, numbers) sits at and around the
    places a long text is cut into pieces, and which turn non-ASCII or gain "}}" only late."""
    pieces = [
        "Thanks for your patience while we look into this.",
        "See https://example.com/help/article-42 for the steps",
        "write to help@example.com",
        "{{ticket.requester.first_name}}",
        "{{ name",
        "}} and more",
        "[ORDER] <b>bold</b> %NAME% $amount 12345",
        "@support_team",
        "1234567890 " * 20,
        "Grüße aus Köln — ça va",
        "",
        "   ",
    ]
    texts = []
    for seed in range(60):
        lines = [pieces[(seed * 7 + k * (seed % 5 + 1)) % len(pieces)] for k in range(80 + seed * 3)]
        texts.append(("\n" if seed % 3 else "\r\n").join(lines))
        texts.append(" ".join(lines))  # no line break to cut at
    texts.append("x" * 1199 + "\n" + "word " * 400)  # a cut right at the first piece's end
    texts.append("1 " * 3000 + "\nthe words come only here " * 50)  # the first pieces clean to nothing
    return texts


@pytest.mark.parametrize("text", _long_noisy_texts())
def test_a_long_text_is_sampled_as_if_it_were_cleaned_whole(text):
    """The detector's sample of a long text is cleaned a piece at a time, up to line breaks: it
    is the start of the whole text cleaned."""
    from tonecheck import _langid

    assert len(text) > 2 * _langid.SAMPLE_CHARS
    assert _langid.sample(text) == _langid.clean(text)[: _langid.SAMPLE_CHARS]


_NOISY = st.lists(
    st.sampled_from(
        [
            *list("ab Zé\xa0\t\n\x1c@.:/{}[]<>%$_-0123456789’😀"),
            "http://",
            "https://",
            "www.",
            "{{",
            "}}",
            "@x",
            "a@b.c",
            "%NAME%",
            "$5",
            "<b>",
            "[x]",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_NOISY, st.text(max_size=80)))
def test_cleaning_leaves_out_only_noise_the_whole_alternation_finds(text):
    """clean() runs only the noise alternatives a text may match (and an ASCII text in `re`, or
    in its bytes when it holds none but numbers): the words it keeps are those of the whole
    alternation, every alternative in `regex`."""
    import regex

    from tonecheck import _langid

    whole = regex.compile("|".join(part for part, _ in _langid._NOISE_PARTS))
    assert _langid.clean(text) == " ".join(whole.sub(" ", text).split())


@given(st.one_of(_NOISY, st.text(max_size=80)))
def test_the_first_look_counts_the_words_outside_links(text):
    """first_look_counts takes the runs of a link's words from those of the whole text, and counts
    a text the long way where a run would cross a link's edge ("xhttp://"): the same counts as the
    runs of the text with its links made spaces."""
    import regex

    from tonecheck import _langid
    from tonecheck._engine.linter import _common_words
    from tonecheck._text import word_runs

    lowered = text.lower()
    common = _common_words()["en"] | {"http", "www", "x", "b", "é"}
    expected = word_runs(regex.sub(r"https?://\S+|www\.\S+", " ", lowered))
    found, counted = _langid.first_look_counts(text, word_runs(lowered), common)
    assert (found, counted) == (sum(word in common for word in expected), len(expected))


def _quick_and_full(text):
    """The detector's answer with the first look (as the engine calls it) and without."""
    from tonecheck._engine.linter import _common_words, _pack_scripts
    from tonecheck._langid import detect, first_look_runs

    runs = first_look_runs(text.lower())
    options = {"default": "en", "by_script": _pack_scripts(), "common": _common_words()}
    return detect(text, **options, runs=runs), detect(text, **options)


def test_the_first_look_agrees_with_the_full_detector_on_every_corpus():
    """The first look (common words among all of a short ASCII reply's words, before any
    cleaning) takes a reply only where the full path, cleaning and model, says the same: on every
    labelled and real reply here, read as the engine reads it (quoted history and code blanked)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import languages

    from tonecheck._engine.linter import _scan_text
    from tonecheck._text import lone_cr_to_lf

    rows = languages.corpora()
    assert len(rows) > 30_000, "the shared real corpus (../shared/corpora/real) must be beside the repository"
    differ = []
    for corpus, _, text in rows:
        lines = lone_cr_to_lf(text)
        quick, full = _quick_and_full(_scan_text(lines, analyse(lines, ENGLISH)))
        if quick != full:
            differ.append((corpus, quick, full, text[:80]))
    assert differ == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a reply in another language whose links are mostly English words: the links are not read
        (
            "Hola Marta, gracias por escribirnos. Ya revisamos tu pedido y lo enviaremos el lunes por la "
            "tarde con el transportista de siempre. "
            "https://example.com/what-to-do-if-your-order-is-late-and-how-we-can-help-you-with-it-now "
            "https://example.com/how-to-get-the-most-out-of-your-new-account-and-what-you-can-do-with-it "
            "https://example.com/all-of-the-ways-you-can-get-in-touch-with-us-if-you-need-to",
            "es",
        ),
        (
            "Hallo Sanne, bedankt voor je bericht. Ik heb je bestelling gecontroleerd en het pakket is "
            "gisteren verzonden. Als je nog vragen hebt, laat het me weten.",
            "nl",
        ),
        ("Hi Sam, thanks for your message. We have sent the parcel today and it should be with you soon.", "en"),
    ],
)
def test_the_first_look_takes_only_what_the_full_path_would_say(text, language):
    quick, full = _quick_and_full(text)
    assert quick == full
    if language is not None:
        assert full == language


def _model_only(text):
    """The detector's answer without its shortcuts (no common words, no first look)."""
    from tonecheck._engine.linter import _pack_scripts
    from tonecheck._langid import detect

    return detect(text, default="en", by_script=_pack_scripts())


def test_the_common_word_shortcut_reads_only_text_of_the_language_s_own_script():
    """A Korean reply with a few short English words between its own is Korean, though more
    than COMMON_SHARE of its words are English common words: the shortcut is for text in the
    fallback language's script."""
    from tonecheck._engine.linter import _common_words
    from tonecheck._langid import COMMON_SHARE, common_share, sample, script_of

    text = (
        "주문하신 상품은 오늘 오후에 발송되었습니다 to 배송 조회는 홈페이지에서 is 가능합니다 it 교환이나 "
        "반품은 in 고객센터로 on 연락해 주시기 바랍니다 at 감사합니다 do"
    )
    words = sample(text)
    assert script_of(words) == "Hangul" and common_share(words, _common_words()["en"]) >= COMMON_SHARE
    assert _quick_and_full(text) == ("ko", "ko") == (_model_only(text),) * 2


def test_english_common_words_leave_out_words_other_languages_share():
    """Portuguese (like Gaelic, Hungarian and the other Romance languages) writes "a" on every
    line: with "a" among English's common words this reply was 30% English words, and taken for
    English without asking the model."""
    from tonecheck._engine.linter import _common_words

    english = _common_words()["en"]
    assert not english & {"a", "an"}
    text = (
        "A fatura foi enviada a semana passada. A equipa pediu a revisão a um colega e a resposta "
        "chega amanhã a tarde. A conta fica ativa a partir de sexta."
    )
    assert _quick_and_full(text) == ("pt", "pt") == (_model_only(text),) * 2


def test_russian_common_words_leave_out_words_bulgarian_and_macedonian_write_more():
    """ "на", "за", "да" and "от" are several times commoner in Bulgarian and Macedonian than in
    Russian (benchmarks/languages.py --catalogs): with them among Russian's common words this
    Bulgarian reply was 31% Russian words, and linted with the Russian rules. A Russian reply is
    still taken without the model."""
    from tonecheck._engine.linter import _common_words
    from tonecheck._langid import COMMON_SHARE, common_share, sample

    assert not _common_words()["ru"] & {"на", "за", "да", "от"}
    bulgarian = (
        "Благодарим за съобщението. Поръчката ви ще бъде изпратена до края на седмицата, а номерът за "
        "проследяване ще получите на имейла си от куриера. Ако имате въпроси, можете да се свържете с нас."
    )
    assert _quick_and_full(bulgarian) == ("bg", "bg") == (_model_only(bulgarian),) * 2
    russian = (
        "Здравствуйте! Спасибо за обращение. Заказ будет отправлен на этой неделе, а номер для отслеживания "
        "придёт на почту от курьера. Если будут вопросы, напишите нам."
    )
    assert common_share(sample(russian), _common_words()["ru"]) >= COMMON_SHARE
    assert _quick_and_full(russian) == ("ru", "ru")


def test_the_detector_model_is_mapped_from_the_cache_and_ranks_as_the_shipped_model(monkeypatch, tmp_path):
    """The model is kept uncompressed in tonecheck's cache and mapped into memory, not copied; it
    ranks every language exactly as the model read from py3langid's own file. A cache file cut
    short or foreign is not used: the model is read from its file again."""
    import mmap

    from py3langid import langid

    from tonecheck import _langid

    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(tmp_path))
    shipped = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    first = _langid._load()  # reads the xz file and writes the cache
    (written,) = tmp_path.glob("py3langid-*.model")
    mapped = _langid._load()
    assert isinstance(mapped.tk_nextmove, memoryview) and isinstance(mapped.tk_nextmove.obj, mmap.mmap)
    texts = [GERMAN, "Merci pour votre message, nous revenons vers vous demain.", "Thanks, see you Friday!"]
    for text in texts:
        assert mapped.rank(text) == first.rank(text) == shipped.rank(text)
    written.write_bytes(written.read_bytes()[: written.stat().st_size // 2])  # cut short
    assert _langid._mapped(written.name) is None
    assert _langid._load().rank(GERMAN) == shipped.rank(GERMAN)  # and the cache is written whole again
    assert _langid._mapped(written.name) is not None
    written.write_bytes(b"something else")
    assert _langid._mapped(written.name) is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["der", "Ticket", "wurde", " ", "  ", "é", "ß", "Привет", "x", "", "über", "."]), max_size=40
    )
)
def test_the_remembered_walk_meets_the_features_of_the_byte_by_byte_walk_in_its_order(words):
    """The detector replays its automaton's walk over each word from memory (`_remembering`): the
    features, their counts and the order it first meets them are those of py3langid's own walk
    over every byte, the first time and when replayed, so the scores are the same to the bit."""
    from py3langid.langid import visit_counts

    from tonecheck import _langid

    identifier = _langid._identifier()
    text = " ".join(words).encode("utf-8")
    expected = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, text)
    for _ in range(2):  # walked, then replayed
        found = identifier.walk(text)
        assert list(found.items()) == (list(expected.items()) if expected else [])


def test_the_remembered_walks_are_bounded(monkeypatch):
    from tonecheck import _langid

    identifier = _langid._identifier()
    monkeypatch.setattr(_langid, "MAX_REMEMBERED_WORDS", 50)
    for number in range(200):
        identifier.walk(f"wort{number} und noch eins".encode())
        assert len(identifier._walks) <= 50 + 4  # (cleared once past the bound, before a walk)
    assert identifier.rank(GERMAN)[0][0] == "de"


def test_only_the_agents_own_words_decide_the_language():
    """Quoted history, links, placeholders and code in another language do not make the reply's."""
    reply = (
        "Hi Ana,\n\nThanks for writing in. Your replacement ships tomorrow and should reach you by "
        "Thursday.\n\nBest,\nTom\n\nOn Monday, Ana wrote:\n> Guten Tag, leider ist meine Bestellung "
        "beschädigt angekommen. Können Sie mir bitte einen Ersatz schicken? Vielen Dank im Voraus.\n"
    )
    assert tonecheck.check(reply).language == "en"
    placeholders = "{{ kunde.vorname }} {{ bestellung.lieferdatum }} https://beispiel.de/bestellungen/verfolgen "
    assert tonecheck.check(placeholders + "Your order shipped.").language == "en"


# -- a new language is data only -----------------------------------------------------------------

GERMAN_LANGUAGE_FILE = """\
name: German
script: Latin
common_words: [der, die, das, und, ist, nicht, wir, sie, ihre, ihr, mit, für, zu, den, von, auf, es, ein, eine]
matching: {tokenizer: de, words: lower}
greetings:
  words: [hallo, "guten (tag|morgen|abend)", "sehr geehrte(r)?", liebe, lieber]
  need_a_name: ["sehr geehrte", "sehr geehrter"]
  titles: [frau, herr, dr]
  not_names: [team, zusammen, alle]
signoffs:
  phrases: ["(mit)? freundlichen grüßen", "viele grüße", "beste grüße", danke]
history:
  reply_header: {starts: [am], ends: ["schrieb:"]}
  dashed: ["ursprüngliche nachricht"]
  lines: []
  header_block: {first: ["von:"], second: ["gesendet:", "datum:"]}
signature:
  company_abbreviations: [GmbH., AG.]
explanations:
  after_comma: ["das heißt", "(d.h.|d. h.)", "also"]
  appositive_openers: [der, die, das]
  appositive_not: [ist, sind, war, wird]
  after: ["steht für", "bedeutet"]
  before: ["(genannt|sogenannte)"]
articles:
  determiners: [der, die, das, ein, eine]
  before_consonant_sound: null
  before_vowel_sound: null
  vowel_sound_starts: []
  consonant_sound_words: []
  consonant_sound_starts: []
contractions:
  words: {}
  endings: {}
"""
GERMAN_PACK = """\
category: negative-language
rules:
  - code: NEG901
    name: leider-nicht-moeglich
    kind: phrase
    severity: warning
    status: stable
    message: '"{match}" refuses without offering anything instead.'
    why: A bare refusal leaves the customer with nothing to do next.
    fix: Say what you can do.
    phrases: ["leider (können|konnten) wir"]
    examples:
      flag: ["Leider können wir das nicht ändern."]
      pass: ["Wir können das gern für Sie ändern."]
"""


def test_a_second_language_is_data_only(tmp_path):
    """A copy of tonecheck with a folder rules/de/ (a language file and one pack), no code
    changed: German replies are linted with the German rule and never with English ones, English
    replies as before, and a reply in a third language is still not checked."""
    root = tmp_path / "copy"
    shutil.copytree(
        Path(tonecheck.__file__).resolve().parent, root / "tonecheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(builtin_rules_dir(), root / "rules")
    (root / "rules" / "de" / "negative-language").mkdir(parents=True)
    (root / "rules" / "de" / "language.yml").write_text(GERMAN_LANGUAGE_FILE, encoding="utf-8")
    (root / "rules" / "de" / "negative-language" / "refusals.yml").write_text(GERMAN_PACK, encoding="utf-8")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import json, sys, tonecheck\n"
        "for text in json.load(open(sys.argv[1], encoding='utf-8')):\n"
        "    r = tonecheck.check(text)\n"
        "    regions = sorted({g.kind for g in r.regions} & {'greeting', 'signoff'})\n"
        "    print(json.dumps([r.language, [f.code for f in r.findings], list(r.notes), regions]))\n",
        encoding="utf-8",
    )
    texts = tmp_path / "texts.json"
    texts.write_text(
        json.dumps(
            [
                GERMAN,
                GERMAN_WITH_ENGLISH_TRIGGER,
                "Hi ,\n\nYour order shipped today and should arrive on Friday.",
                "Bonjour,\n\nMerci pour votre message. Malheureusement, nous ne pouvons plus modifier la commande.",
            ]
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(root), "TONECHECK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TONECHECK_NO_CACHE", None)
    proc = subprocess.run([sys.executable, str(probe), str(texts)], capture_output=True, env=env, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    german, triggered, english, french = (json.loads(line) for line in proc.stdout.decode().splitlines())
    # German greetings and sign-offs come from the German language file
    assert german == ["de", ["NEG901"], [], ["greeting", "signoff"]]
    # "Hi ," is no German greeting, and English rules do not run on a German reply
    assert triggered == ["de", ["NEG901"], [], ["signoff"]]
    assert english == ["en", ["TPL004"], [], ["greeting"]]
    assert french == ["fr", [], ["not checked: no rules for fr"], []]


# -- the Russian pack -------------------------------------------------------------------------------

PREVIEW = Config(preview=True)  # the Russian rules are preview: not yet measured on real Russian replies


def _ru(text: str, **kwargs: Any) -> list[tuple[str, str]]:
    report = tonecheck.check(text, config=PREVIEW, **kwargs)
    assert report.language == "ru", text
    return [(f.code, f.match) for f in report.findings]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # one phrase, its inflected forms: words are compared by dictionary form (pymorphy3)
        ("Вам придётся подождать до понедельника, заказ соберут к обеду.", "NEG510"),
        ("Вам пришлось бы подождать до понедельника, заказ соберут к обеду.", "NEG510"),
        ("Ваш тикет уже у специалистов, ответ будет к обеду.", "JAR501"),
        ("По вашему тикету уже есть ответ специалистов, он в письме.", "JAR501"),
        ("Мы закрыли все тикеты, которые касались этой ошибки.", "JAR501"),
        ("Как я уже писала вчера, возврат занимает до десяти дней.", "PAG501"),
        ("Как мы уже писали вчера, возврат занимает до десяти дней.", "PAG501"),
        ("Это противоречит нашим правилам, поэтому возврат не оформим.", "NEG520"),
    ],
)
def test_russian_phrases_match_inflected_forms(text, code):
    assert code in [c for c, _ in _ru(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Нет проблем, всё уже исправили, можно снова пользоваться приложением.",
        "Не за что, рады были помочь с настройкой роутера.",
        "Не беспокойтесь, заказ уже в пути и приедет в четверг.",
        "Ничего страшного, такое бывает, мы всё исправили.",
        "Вам не нужно ничего делать: деньги вернутся на карту сами.",
        "Как вы и писали, посылка пришла помятой, поэтому вышлем замену.",
        "Пока не можем вернуть деньги на карту, но можем предложить бонусы на ту же сумму.",
    ],
)
def test_russian_look_alikes_pass(text):
    assert [c for c, _ in _ru(text) if c.startswith(("NEG", "PAG"))] == []


def test_russian_replies_get_russian_rules_and_english_ones_english_rules():
    russian = "Здравствуйте, {{customer.name}}!\n\nВы должны прислать фото чека.\n\nС уважением,\nАнна"
    english = "Hi {{customer.name}},\n\nYou have to send a photo of the receipt.\n\nBest,\nAnna"
    assert sorted(c for c, _ in _ru(russian)) == ["CLO501", "NEG510", "TPL501"]
    report = tonecheck.check(english, config=PREVIEW)
    assert report.language == "en"
    codes = sorted(f.code for f in report.findings)
    assert "TPL001" in codes and not any(code[3] == "5" for code in codes), codes
    # the Russian reply's anatomy is read with Russian words
    regions = {r.kind for r in tonecheck.check(russian, config=PREVIEW).regions}
    assert {"greeting", "signoff"} <= regions


def test_a_mixed_folder_lints_each_reply_with_its_own_rules(tmp_path):
    (tmp_path / "ru.txt").write_text(
        "Здравствуйте, Ольга!\n\nКак я уже писала, возврат занимает до десяти дней.\n\nС уважением,\nАнна",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(
        "Hi Olga,\n\nAs I said, the refund takes up to ten days.\n\nBest,\nAnna", encoding="utf-8"
    )
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    reports = {path.name: tonecheck.check_file(path, config=PREVIEW).replies[0] for path in tmp_path.iterdir()}
    assert reports["ru.txt"].language == "ru" and "PAG501" in [f.code for f in reports["ru.txt"].findings]
    assert reports["en.txt"].language == "en" and "PAG002" in [f.code for f in reports["en.txt"].findings]
    assert reports["de.txt"].findings == () and reports["de.txt"].notes == ("not checked: no rules for de",)


@pytest.mark.parametrize("text", ["Спасибо!", "Готово.", "Хорошо, сделаю.", "Да, всё верно, Ольга."])
def test_short_russian_replies_are_russian(text):
    assert tonecheck.check(text).language == "ru"


def test_a_ukrainian_reply_is_not_linted_with_russian_rules():
    ukrainian = (
        "Доброго дня! Дякуємо за ваше звернення. На жаль, ми не можемо повернути кошти за це замовлення, "
        "але можемо запропонувати знижку на наступну покупку."
    )
    report = tonecheck.check(ukrainian, config=PREVIEW)
    assert (report.language, report.findings) == ("uk", ())
    assert report.notes == ("not checked: no rules for uk",)


def test_russian_rewrites_are_grammatical_or_advice_only():
    """Fixed formulas are replaced by words that fit any sentence; everything else is advice."""
    fixed = tonecheck.fix(
        "Доводим до вашего сведения, что заказ отменён. Как я уже писала, деньги вернутся за три дня.",
        config=PREVIEW,
        unsafe=True,
    )
    assert fixed.language == "ru"
    assert fixed.text.startswith("Сообщаем, что заказ отменён. Деньги вернутся за три дня.")
    for rule in load_rules((), "ru").rules:
        for suggestion in getattr(rule, "suggestions", ()):
            replaces = suggestion.replacement not in (None, "")
            assert not replaces or suggestion.replacement == "{customer_name}", (rule.code, suggestion)


def test_the_pooled_cli_lints_each_file_in_its_language(tmp_path):
    """Files linted in worker processes get the same languages, notes and --language as in one."""
    for index in range(4):
        (tmp_path / f"de-{index}.txt").write_text(GERMAN_WITH_ENGLISH_TRIGGER, encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "Hi ,\n\nYour order shipped today. Let me know if it is late.\n\nBest,\nSam", encoding="utf-8"
    )
    run = [sys.executable, "-m", "tonecheck", "check", "--format", "json", "--exit-zero"]

    def languages(*flags: str) -> dict[str, list[tuple[str, list[str], list[str]]]]:
        proc = subprocess.run([*run, *flags, str(tmp_path)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        files = json.loads(proc.stdout)["files"]
        return {
            Path(f["path"]).name: [
                (r["language"], [x["code"] for x in f["findings"] if x["reply_id"] == r["reply_id"]], r["notes"])
                for r in f["replies"]
            ]
            for f in files
        }

    one, pooled = languages("--jobs", "1"), languages("--jobs", "2")
    assert pooled == one
    assert one["de-0.txt"] == [("de", [], ["not checked: no rules for de"])]
    assert one["en.txt"] == [("en", ["TPL004"], [])]
    forced = languages("--jobs", "2", "--language", "en")  # reaches every worker
    assert all(replies == [("en", ["TPL004"], [])] for replies in forced.values())


def test_the_made_by_check_reads_its_verbs_from_the_rule_options():
    """ "QZX is not developed by us" names a product: the verbs around the participle are the
    rule's data (`made_by_verbs`, `made_by_agent` in jargon/acronyms.yml), not code."""
    from tonecheck._detectors.acronyms import _acronym_lists
    from tonecheck._detectors.base import AcronymOptions

    shipped = next(r for r in load_rules().rules if r.code == "JAR010").options  # type: ignore[union-attr]
    assert isinstance(shipped, AcronymOptions)
    made_by = _acronym_lists(shipped).made_by
    assert made_by is not None
    text = "QZX is not developed by us. QZX seems developed for us. QZX is developed for us."
    assert [m.start() for m in re.finditer(r"QZX", text) if made_by.match(text, m.end())] == [0]
    other = shipped.model_copy(update={"made_by_verbs": ("seems",), "made_by_agent": ("for",)})
    changed = _acronym_lists(other).made_by
    assert changed is not None
    assert [m.start() for m in re.finditer(r"QZX", text) if changed.match(text, m.end())] == [28]


def _mo_file(path: Path, messages: dict[str, str]) -> None:
    """A GNU gettext catalog (.mo) holding these messages, with the header entry Python's reader
    expects."""
    import struct

    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    originals = [key.encode() for key, _ in entries]
    translated = [value.encode() for _, value in entries]
    start = 7 * 4 + 16 * len(entries)
    table, data = [], b""
    for text in originals + translated:
        table.append((len(text), start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + b"".join(struct.pack("<2I", *pair) for pair in table) + data)


def test_the_catalog_benchmark_reads_translated_messages_into_texts_of_each_language(tmp_path):
    """benchmarks/languages.py --catalogs: each language's translated messages (not those left
    in English, not the printf fields), joined into texts; English catalogs are left out."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import languages

    german = {f"Message number {n} was saved": f"Die Nachricht Nummer %d wurde gespeichert ({n})" for n in range(30)}
    _mo_file(tmp_path / "de" / "LC_MESSAGES" / "app.mo", {**german, "Untranslated text here": "Untranslated text here"})
    _mo_file(tmp_path / "en_GB" / "LC_MESSAGES" / "app.mo", {"Color settings": "Colour settings for the app"})
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "broken.mo").write_bytes(b"not a catalog")
    texts = languages.catalog_texts(tmp_path, per_language=100)
    assert {language for language, _ in texts} == {"de"}
    joined = " ".join(text for _, text in texts)
    assert "Untranslated" not in joined and "%d" not in joined
    assert sorted(re.findall(r"\((\d+)\)", joined), key=int) == [str(n) for n in range(30)]
    assert all(len(text) >= 15 for _, text in texts)
    assert languages.catalog_texts(tmp_path, per_language=1) == texts[:1]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.sampled_from(
            [
                GERMAN,
                "Merci pour votre message, nous revenons vers vous demain.",
                "Спасибо за обращение, мы ответим завтра.",
                "Хвала на поруци, одговорићемо сутра.",
                "Hvala na poruci, odgovorićemo sutra ujutru.",
                "Thanks, see you Friday!",
            ]
        ),
    ),
    st.sampled_from(["en", "ru", "sr", "uk", "xx"]),
)
def test_the_detector_s_top_language_is_rank_s_first(text, other):
    """top_and reads the detector's scores without ordering them: the same language and
    probabilities as rank() gives first and for `other` (a label py3langid holds twice, Serbian,
    included)."""
    from tonecheck._langid import rank, top_and

    ranked = rank(text)
    assert top_and(text, other) == (ranked[0][0], ranked[0][1], dict(ranked).get(other, 0.0))
