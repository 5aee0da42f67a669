"""Saved-reply repositories (issue 13): a quiet, correct first run on a macro repository, fixes
in every format, and the CI path. Each test reproduces a friction of the usability review
(F1-F38) in its own words: it failed before the change that made it pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# A team's README, in the words a README uses: internal jargon that is fine there.
TEAM_README = """# Support macros

Edit a macro, open a PR and ask for a review. Don't mention internal tools (the JIRA board, L2,
the RCA doc) in customer replies, and never start a reply with "Per my last email".
"""

PACKAGE_JSON = json.dumps(
    {
        "name": "macro-sync",
        "description": "Unfortunately you have to run this script by hand, obviously, before syncing macros.",
        "version": "1.0.0",
    }
)

GOOD_REPLY = (
    "Hi Sam,\n\nThanks for writing in. Your plan renews on the first of the month.\n\n"
    "Let me know if there is anything else I can help with.\n\nBest,\nAna\n"
)
BAD_REPLY = (
    "Hi Sam,\n\nPer my last email, the app needs a restart.\n\n"
    "Let me know if there is anything else I can help with.\n\nBest,\nAna\n"
)


def _macro(macro_id: int, title: str, text: str, *, public: bool = True, html: bool = False) -> dict[str, object]:
    actions: list[dict[str, object]] = [{"field": "comment_value_html" if html else "comment_value", "value": text}]
    if not public:
        actions.append({"field": "comment_mode_is_public", "value": "false"})
    return {"id": macro_id, "title": title, "active": True, "actions": actions}


ZENDESK_EXPORT = {
    "macros": [
        _macro(360001, "Billing::Follow-up, per my last email, on refunds after thirty days", BAD_REPLY),
        _macro(360002, "Billing::Renewal date", GOOD_REPLY),
    ],
    "next_page": None,
    "count": 2,
}


def _repo(root: Path) -> Path:
    (root / "zendesk").mkdir(parents=True)
    (root / "zendesk" / "macros.json").write_text(json.dumps(ZENDESK_EXPORT, indent=2), encoding="utf-8")
    (root / "replies").mkdir(parents=True)
    (root / "replies" / "renewal.md").write_text(GOOD_REPLY, encoding="utf-8")
    (root / "replies" / "restart.md").write_text(BAD_REPLY, encoding="utf-8")
    (root / "README.md").write_text(TEAM_README, encoding="utf-8")
    (root / "CONTRIBUTING.md").write_text(TEAM_README, encoding="utf-8")
    (root / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")
    (root / "node_modules" / "pkg" / "notes.md").write_text(BAD_REPLY, encoding="utf-8")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / "venv" / "lib").mkdir(parents=True)
    (root / "venv" / "lib" / "notes.txt").write_text(BAD_REPLY, encoding="utf-8")
    return root


def _paths(result_out: str) -> set[str]:
    return {line.split(":", 1)[0] for line in result_out.splitlines() if line[:1].strip() and ":" in line}


# -- F1, F23: files that are not replies ------------------------------------------------------


def test_first_run_lints_only_replies_not_the_readme_or_tool_files(run_cli, tmp_path, monkeypatch):
    """F1: README, CONTRIBUTING, package.json, node_modules and virtual environments are not linted."""
    monkeypatch.chdir(_repo(tmp_path))
    result = run_cli(["check", ".", "--preview"])
    assert result.code == 1, result
    assert _paths(result.out) == {"replies/restart.md", "zendesk/macros.json"}, result
    assert "Found 2 problems" in result.out, result


def test_excluded_by_default_can_be_brought_back_with_exclude(run_cli, tmp_path, monkeypatch):
    """`exclude` replaces the default list; `extend-exclude` adds to it."""
    monkeypatch.chdir(_repo(tmp_path))
    (tmp_path / "tonecheck.toml").write_text('exclude = ["node_modules", "venv", ".venv"]\n', encoding="utf-8")
    result = run_cli(["check", ".", "--select", "PAG003"])
    assert "README.md" in _paths(result.out), result


def test_unknown_json_is_reported_as_not_a_reply_file_skipped(run_cli, tmp_path, monkeypatch):
    """An unknown JSON shape is one line on stderr, not linted as text."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.json").write_text(PACKAGE_JSON, encoding="utf-8")
    result = run_cli(["check", "settings.json", "--preview"])
    assert result.code == 0, result
    assert result.err.strip() == "tonecheck: note: settings.json: not a reply file, skipped", result
    assert "Found 0 problems" in result.out


def test_invalid_json_is_still_an_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.json").write_text('{"macros": [', encoding="utf-8")
    result = run_cli(["check", "broken.json"])
    assert result.code == 2 and "invalid JSON" in result.err, result


def test_check_file_reports_an_unknown_json_as_skipped(tmp_path):
    import tonecheck

    path = tmp_path / "data.json"
    path.write_text(PACKAGE_JSON, encoding="utf-8")
    report = tonecheck.check_file(path)
    assert report.skipped == "not a reply file" and report.replies == ()


@pytest.mark.parametrize("baseline_name", [".tonecheck-baseline.json", "baseline.json"])
def test_the_readme_baseline_flow_passes_on_its_second_command(run_cli, tmp_path, monkeypatch, baseline_name):
    """F23: writing a baseline then checking against it does not lint the baseline itself."""
    monkeypatch.chdir(_repo(tmp_path))
    written = run_cli(["check", ".", "--preview", "--write-baseline", baseline_name])
    assert written.code == 0, written
    again = run_cli(["check", ".", "--preview", "--baseline", baseline_name])
    assert again.code == 0, again
    assert "Found 0 problems" in again.out, again


# -- F2: internal notes -------------------------------------------------------------------------

INTERNAL_NOTE = "Escalating to L2. Repro steps are in the JIRA ticket; per my last email, {{ticket.id}} is P1."


@pytest.mark.parametrize("public", ["false", False])
def test_a_zendesk_internal_note_macro_is_not_linted(tmp_path, public):
    import tonecheck

    export = {"macros": [_macro(1, "Escalation::L2", INTERNAL_NOTE, public=True), _macro(2, "Good", GOOD_REPLY)]}
    export["macros"][0]["actions"].append({"field": "comment_mode_is_public", "value": public})  # type: ignore[index]
    path = tmp_path / "macros.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True))
    assert [r.reply_id for r in report.replies] == ["Good"]
    assert report.findings == ()


def test_a_public_zendesk_macro_with_the_same_text_is_linted(tmp_path):
    import tonecheck

    path = tmp_path / "macros.json"
    path.write_text(json.dumps({"macros": [_macro(1, "Escalation::L2", INTERNAL_NOTE)]}), encoding="utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True))
    assert any(f.code == "PAG003" for f in report.findings)


@pytest.mark.parametrize("marker", [{"type": "note"}, {"internal": True}, {"private": "true"}, {"public": False}])
def test_note_type_items_of_other_exports_are_not_linted(tmp_path, marker):
    import tonecheck

    replies = [
        {"id": 1, "name": "Escalation", "text": INTERNAL_NOTE, **marker},
        {"id": 2, "name": "Good", "text": GOOD_REPLY},
    ]
    path = tmp_path / "saved-replies.json"
    path.write_text(json.dumps(replies), encoding="utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True))
    assert report.format == "helpscout-saved-replies"
    assert [r.reply_id for r in report.replies] == ["Good"]


# -- F5: an email footer is not the closing -----------------------------------------------------

WELCOME_EMAIL = """<!DOCTYPE html>
<html><head><style>p { color: #333; }</style></head>
<body><table><tr><td>
<p>Hi {{first_name}},</p>
<p>Welcome aboard! Your workspace {{workspace_name}} is ready to use.</p>
%s
<p>Cheers,<br>The Example team</p>
</td></tr><tr><td>
<p>You're receiving this email because you created an account. <a href="{{unsubscribe_url}}">Unsubscribe</a>
&middot; <a href="https://example.com/privacy">Privacy policy</a></p>
<p>Example Ltd, 4 Quay Road, Portsmouth</p>
</td></tr></table></body></html>
"""


def test_an_html_email_footer_is_not_taken_as_the_closing(tmp_path):
    import tonecheck

    path = tmp_path / "welcome.html"
    path.write_text(WELCOME_EMAIL % "<p>Need a hand? Reply to this email and we will help you set up.</p>", "utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True))
    assert [f.code for f in report.findings] == []


def test_a_reply_without_a_closing_is_still_reported_above_its_footer(tmp_path):
    import tonecheck

    path = tmp_path / "welcome.html"
    path.write_text(WELCOME_EMAIL % "", "utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True))
    [finding] = report.findings
    assert finding.code == "CLO001"
    assert "Unsubscribe" not in report.source[finding.source_start : finding.source_end]  # type: ignore[index]


def test_a_plain_text_footer_is_its_own_region():
    import tonecheck

    text = (
        "Hi Sam,\n\nYour export is ready to download.\n\nLet me know if you have any questions.\n\n"
        "Best,\nAna\n\nYou received this email because you have an account with us.\n"
        "Manage your email preferences or unsubscribe at example.com/settings.\n© 2026 Example Ltd\n"
    )
    report = tonecheck.check(text, mode="saved", channel="email")
    assert report.findings == ()
    assert [r.kind for r in report.regions if r.kind in ("signoff", "footer")] == ["signoff", "footer"]


# -- F6: a Markdown file of several replies -----------------------------------------------------

BILLING_MD = """# Billing replies

Saved replies for the billing queue; keep them short.

## Card declined

Hi {{first_name}},

Your card was declined by the bank. Could you try another card from the billing page?

Let me know if there is anything else I can help with.

Best,
Ana

## VAT number

Hi {{first_name}},

I've added your VAT number to the account, so your next invoice will show it.

Best,
Ana

## Upgrade pricing

Hi {{first_name}},

The upgrade is prorated for the days left in your billing period.

Let me know if you have any questions.

Best,
Ana
"""


def test_a_titled_markdown_file_with_an_intro_and_h2_replies_is_read_as_several_replies(tmp_path):
    import tonecheck

    path = tmp_path / "billing.md"
    path.write_text(BILLING_MD, encoding="utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(select=("CLO001", "TPL")))
    assert [r.reply_id for r in report.replies] == ["Card declined", "VAT number", "Upgrade pricing"]
    assert [(f.code, reply) for f, reply in report.findings_with_replies()] == [("CLO001", "VAT number")]


def test_markdown_sections_none_reads_the_file_as_one_reply(tmp_path):
    import tonecheck

    path = tmp_path / "billing.md"
    path.write_text(BILLING_MD, encoding="utf-8")
    report = tonecheck.check_file(path, config=tonecheck.Config(preview=True, markdown_sections="none"))
    assert [r.reply_id for r in report.replies] == [None]


def test_markdown_sections_is_a_config_key(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text("# One\n\nPer my last email, see below.\n\n# Two\n\nThanks!\n", "utf-8")
    assert "[One] PAG003" in run_cli(["check", "notes.md"]).out
    (tmp_path / "tonecheck.toml").write_text('markdown-sections = "none"\n', encoding="utf-8")
    result = run_cli(["check", "notes.md"])
    assert "notes.md:3:1: PAG003" in result.out and "[One]" not in result.out, result
    (tmp_path / "tonecheck.toml").write_text('markdown-sections = "h3"\n', encoding="utf-8")
    bad = run_cli(["check", "notes.md"])
    assert bad.code == 2 and "markdown-sections" in bad.err, bad


def test_an_untitled_markdown_reply_with_h2_headings_and_an_intro_stays_one_reply(tmp_path):
    import tonecheck

    path = tmp_path / "setup.md"
    path.write_text("Hi Sam,\n\nHere is how.\n\n## Step one\n\nOpen settings.\n\n## Step two\n\nSave.\n", "utf-8")
    assert [r.reply_id for r in tonecheck.check_file(path).replies] == [None]


# -- F22: fixes in every format it reads --------------------------------------------------------

FIXABLE_TEXT = (
    'Hi {{ticket.requester.first_name}},\n\nPer my last email, the caf\u00e9 "Plus" plan is ready.\n\nBest,\nAna'
)
FIXED_TEXT = 'Hi {{ticket.requester.first_name}},\n\nThe caf\u00e9 "Plus" plan is ready.\n\nBest,\nAna'


def _export_bytes(text: str, *, ensure_ascii: bool) -> str:
    export = {"macros": [_macro(7, "Plans::Ready", text), _macro(8, "Other", GOOD_REPLY)], "count": 2}
    return json.dumps(export, indent=4, ensure_ascii=ensure_ascii) + "\n"


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_fix_rewrites_a_zendesk_export_in_place_keeping_every_other_byte(run_cli, tmp_path, monkeypatch, ensure_ascii):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "macros.json"
    path.write_text(_export_bytes(FIXABLE_TEXT, ensure_ascii=ensure_ascii), encoding="utf-8")
    result = run_cli(["check", "macros.json", "--fix"])
    assert "Applied 1 fix" in result.err, result
    assert path.read_text(encoding="utf-8") == _export_bytes(FIXED_TEXT, ensure_ascii=ensure_ascii)


def test_diff_shows_the_fix_inside_a_help_scout_export(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    replies = [
        {
            "id": 1,
            "name": "Limits",
            "text": "<p>Hi there,</p>\n<p>Per my last email, limits &amp; quotas are listed.</p>",
        }
    ]
    (tmp_path / "saved.json").write_text(json.dumps(replies), encoding="utf-8")
    result = run_cli(["check", "saved.json", "--diff"])
    assert result.code == 1, result
    assert (
        '+[{"id": 1, "name": "Limits", "text": "<p>Hi there,</p>\\n<p>Limits &amp; quotas are listed.</p>"}]'
        in result.out
    )


def test_fix_rewrites_html_keeping_entities_and_tags(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = "<p>Hi Sam,</p>\n<p>Per my last email, R&amp;D has the <b>report</b> &mdash; see below.</p>\n"
    (tmp_path / "reply.html").write_text(before, encoding="utf-8")
    result = run_cli(["check", "reply.html", "--fix", "--select", "PAG003"])
    assert "Applied 1 fix" in result.err, result
    after = (tmp_path / "reply.html").read_text(encoding="utf-8")
    assert after == "<p>Hi Sam,</p>\n<p>R&amp;D has the <b>report</b> &mdash; see below.</p>\n"


def test_fix_rewrites_each_reply_of_a_markdown_collection(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "# One\n\nPer my last email, it works.\n\n# Two\n\nPer my last comment, it is fixed.\n"
    (tmp_path / "notes.md").write_text(text, encoding="utf-8")
    result = run_cli(["check", "notes.md", "--fix", "--select", "PAG003"])
    assert "Applied 2 fixes" in result.err, result
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "# One\n\nIt works.\n\n# Two\n\nIt is fixed.\n"


def test_a_suppressed_finding_in_an_export_is_not_fixed(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "<!-- tonecheck: ignore PAG003 -->\nPer my last email, it works."
    (tmp_path / "saved.json").write_text(json.dumps([{"name": "A", "text": text}]), encoding="utf-8")
    result = run_cli(["check", "saved.json", "--diff"])
    assert result.code == 0 and result.out == "", result


def test_github_saved_replies_say_plainly_that_they_are_read_only(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "replies.yml").write_text("- name: A\n  body: Per my last email, it works.\n", "utf-8")
    result = run_cli(["check", ".github/replies.yml", "--diff"])
    assert "read-only" in result.err, result


# -- F3, F4, F7, F8, F10: output ---------------------------------------------------------------


def _help_scout(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps([{"id": 5, "name": "Teams", "preview": "x" * 200, "text": text}]), encoding="utf-8")
    return path


def test_json_output_shows_the_decoded_reply_line_and_a_preview_equal_to_the_fix(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "<p>Hi Sam,</p>\n<p>The setup takes a while.\n\nActually, most teams &amp; admins finish in a day.</p>"
    path = _help_scout(tmp_path, text)
    result = run_cli(["check", "saved.json", "--select", "PAG001"])
    assert result.code == 1, result
    assert '"preview"' not in result.out and "<p>" not in result.out, result  # F3: not the raw JSON line
    lines = result.out.splitlines()
    assert lines[1] == "    Actually, most teams & admins finish in a day.", result
    assert lines[2] == "    ^^^^^^^^^", result
    assert "      after:  Most teams & admins finish in a day." in lines, result  # F4: as --fix writes it
    run_cli(["check", "saved.json", "--select", "PAG001", "--fix"])
    assert "Most teams &amp; admins finish in a day." in json.loads(path.read_text("utf-8"))[0]["text"]


def test_a_match_across_a_line_break_stays_on_one_output_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text("Hi Sam,\n\nThe plan name can't be\nchanged after signup.\n", "utf-8")
    result = run_cli(["check", "reply.txt", "--select", "NEG004"])
    [header] = [line for line in result.out.splitlines() if "NEG004" in line]
    assert header.startswith("reply.txt:3:15: NEG004") and "can't be changed" in header, result.out


def test_the_summary_counts_files_with_problems_and_fixable_findings(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    result = run_cli(["check", ".", "--select", "PAG003"])
    assert result.out.splitlines()[-2:] == [
        "Found 2 problems in 2 of 3 files.",
        "[*] 2 fixable with --fix (--diff shows the changes first).",
    ], result


def test_an_identical_suggestion_is_printed_once(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text("Obviously, obviously the export is ready.\n", "utf-8")
    result = run_cli(["check", "reply.txt", "--select", "PAG010"])
    for block in result.out.split("reply.txt:")[1:]:
        titles = [line.split(":")[0] for line in block.splitlines() if line.startswith("    fix")]
        assert len(titles) == len(set(titles)) == 1, result.out


# -- F17: suppressions in the comment forms helpdesks hide; per-reply ignores --------------------


@pytest.mark.parametrize(
    "directive",
    [
        "{% comment %}tonecheck: ignore PAG003 -- quoted on purpose{% endcomment %}",
        "{%- comment -%} tonecheck: ignore PAG003 {%- endcomment -%}",
        "{% # tonecheck: ignore PAG003 %}",
        "{{!-- tonecheck: ignore PAG003 --}}",
        "{{! tonecheck: ignore PAG003 }}",
    ],
)
def test_liquid_and_handlebars_comment_suppressions_work_in_exports(tmp_path, directive):
    import tonecheck

    text = f"Hi Sam,\n\n{directive}\nPer my last email, the export is ready. Let me know if it fails.\n\nBest,\nAna"
    path = tmp_path / "macros.json"
    path.write_text(json.dumps({"macros": [_macro(1, "Export", text)]}), encoding="utf-8")
    assert tonecheck.check_file(path).findings == ()
    path.write_text(json.dumps({"macros": [_macro(1, "Export", text.replace("PAG003", "NEG010"))]}), "utf-8")
    assert [f.code for f in tonecheck.check_file(path, config=tonecheck.Config(select=("PAG003", "TON"))).findings] == [
        "PAG003"
    ]


def test_the_readme_shows_no_jinja_comment_as_a_liquid_suppression():
    from conftest import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "{% comment %}tonecheck:" in readme
    for line in readme.splitlines():
        if "{# tonecheck" in line:
            assert "Jinja" in line and "not Liquid" in line, line


@pytest.mark.parametrize(
    "key", ["Escalation::*", "zendesk/*.json::Escalation::*", "zendesk/macros.json::Escalation::L2", "zendesk/*::1"]
)
def test_per_reply_ignores_skip_rules_in_one_reply_of_an_export(run_cli, tmp_path, monkeypatch, key):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zendesk").mkdir()
    text = "Hi Sam,\n\nPer my last email, the export is ready. Let me know if it fails.\n\nBest,\nAna"
    export = {"macros": [_macro(1, "Escalation::L2", text), _macro(2, "Export", text)]}
    (tmp_path / "zendesk" / "macros.json").write_text(json.dumps(export), encoding="utf-8")
    (tmp_path / "tonecheck.toml").write_text(f'[per-reply-ignores]\n"{key}" = ["PAG003"]\n', encoding="utf-8")
    result = run_cli(["check", "."])
    assert "[Export] PAG003" in result.out and "[Escalation::L2]" not in result.out, result


# -- F14: strict selectors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", "NEG999"], "command line: key 'select': unknown rule selector 'NEG999'"),
        (["--select", "negative language"], "(did you mean 'negative-language'?)"),
        (["--ignore", "p"], "command line: key 'ignore': unknown rule selector 'p'"),
        (["--extend-select", "PAGG"], "(did you mean 'PAG'?)"),
    ],
)
def test_an_unknown_selector_on_the_command_line_is_an_error(run_cli, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("Per my last email, it works.\n", encoding="utf-8")
    result = run_cli(["check", "r.txt", *argv])
    assert result.code == 2 and message in result.err, result


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('select = ["NEGATIVE"]', "key 'select': unknown rule selector 'NEGATIVE'"),
        ('[per-file-ignores]\n"*.txt" = ["PAG03"]', "key 'per-file-ignores.*.txt': unknown rule selector 'PAG03'"),
        ('[severity]\nNEGG = "info"', "key 'severity': unknown rule selector 'NEGG' (did you mean 'NEG'?)"),
    ],
)
def test_an_unknown_selector_in_the_config_is_an_error_naming_the_file(run_cli, tmp_path, monkeypatch, toml, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("Per my last email, it works.\n", encoding="utf-8")
    (tmp_path / "tonecheck.toml").write_text(toml + "\n", encoding="utf-8")
    result = run_cli(["check", "r.txt"])
    assert result.code == 2 and "tonecheck.toml" in result.err and message in result.err, result


def test_a_whole_letter_prefix_still_selects():
    from tonecheck._config import selector_matches

    assert selector_matches("PAG", code="PAG003", name="x", category="y")
    assert selector_matches("pag00", code="PAG003", name="x", category="y")
    assert not selector_matches("P", code="PAG003", name="x", category="y")


# -- F11, F12, F20: helpdesk names, wildcard variables, typo-only nearest names ------------------

KNOWN = ("ticket.requester.first_name", "ticket.ticket_field_*", "dc.*", "ticket.ticket_field_360055555")


def _saved(text: str, **config: object):
    import tonecheck

    return tonecheck.check(text, mode="saved", config=tonecheck.Config(select=("TPL",), **config))  # type: ignore[arg-type]


def test_known_variables_accept_wildcards():
    text = "Hi {{ticket.requester.first_name}},\n\nYour card {{ticket.ticket_field_360044444}} is saved.\n\n{{dc.known_issue_footer}}"
    assert _saved(text, known_variables=KNOWN).findings == ()


def test_a_different_valid_looking_field_is_never_offered_as_a_fix():
    text = "Your card ending in {{ticket.ticket_field_36004444}} is saved."
    [finding] = _saved(text, known_variables=("ticket.requester.first_name", "ticket.ticket_field_360055555")).findings
    assert finding.code == "TPL002" and "did you mean" not in finding.message
    assert all(s.replacement is None for s in finding.suggestions)


def test_a_typo_of_a_known_variable_is_offered_but_never_as_a_safe_fix():
    [finding] = _saved("Hi {{ticket.requester.frist_name}},", known_variables=KNOWN).findings
    assert "did you mean 'ticket.requester.first_name'?" in finding.message
    [fix] = [s for s in finding.suggestions if s.replacement is not None]
    assert fix.replacement == "{{ticket.requester.first_name}}" and fix.applicability.value == "unsafe"


def test_a_wildcard_entry_is_never_written_into_a_template():
    [finding] = _saved("Hi {{dd.footer}},", known_variables=("dc.*",)).findings
    assert all("*" not in (s.replacement or "") for s in finding.suggestions)


@pytest.mark.parametrize(
    ("helpdesk", "ok", "broken"),
    [
        ("zendesk", "Hi {{ticket.requester.first_name}},", "Hi {%customer.firstName%},"),
        ("helpscout", "Hi {%customer.firstName,fallback=there%},", "Hi *|FNAME|*,"),
    ],
)
def test_helpdesk_accepts_helpdesk_names(helpdesk, ok, broken):
    assert _saved(ok, helpdesk=(helpdesk,)).findings == ()
    assert [f.code for f in _saved(broken, helpdesk=(helpdesk,)).findings] == ["TPL002"]


def test_an_unknown_helpdesk_lists_helpdesks_and_syntaxes(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tonecheck.toml").write_text('helpdesk = ["zendsk"]\n', encoding="utf-8")
    (tmp_path / "r.txt").write_text("Hi.\n", encoding="utf-8")
    result = run_cli(["check", "r.txt"])
    assert result.code == 2 and "helpdesks: " in result.err and "zendesk" in result.err, result


def test_rule_tpl001_lists_the_helpdesk_names_and_shows_no_raw_slots(run_cli):
    for code in ("TPL001", "TPL002"):
        result = run_cli(["rule", code])
        assert result.code == 0
        assert "{syntax}" not in result.out and "{problem}" not in result.out, result.out
    out = run_cli(["rule", "TPL001"]).out
    assert "zendesk" in out and "liquid-output" in out, out


# -- F19b, F24, F25: baselines ------------------------------------------------------------------


def test_a_baseline_matches_a_zendesk_macro_by_id_after_its_title_is_renamed(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    assert run_cli(["check", ".", "--write-baseline", "base.json"]).code == 0
    export = json.loads((tmp_path / "zendesk" / "macros.json").read_text("utf-8"))
    export["macros"][0]["title"] = "Billing (v2)::Follow-up on refunds"
    (tmp_path / "zendesk" / "macros.json").write_text(json.dumps(export, indent=2), encoding="utf-8")
    result = run_cli(["check", ".", "--baseline", "base.json"])
    assert result.code == 0 and "Found 0 problems" in result.out, result


def test_the_baseline_config_key_is_used_without_flags_and_reports_hidden_and_stale(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    (tmp_path / "tonecheck.toml").write_text('baseline = ".tonecheck-baseline.json"\n', encoding="utf-8")
    first = run_cli(["check", "."])
    assert first.code == 1 and "does not exist yet" in first.err, first
    written = run_cli(["check", ".", "--write-baseline"])
    assert written.code == 0 and ".tonecheck-baseline.json" in written.err, written
    again = run_cli(["check", "."])
    assert again.code == 0, again
    assert "hid 2 findings" in again.err and "no longer match" not in again.err, again
    (tmp_path / "replies" / "restart.md").write_text(GOOD_REPLY, encoding="utf-8")  # one baselined finding fixed
    fixed = run_cli(["check", "."])
    assert fixed.code == 0 and "hid 1 finding; 1 entry no longer match" in fixed.err, fixed
    assert run_cli(["check", ".", "--no-baseline"]).code == 1


def test_a_hook_run_on_some_files_does_not_call_the_others_stale(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    (tmp_path / "tonecheck.toml").write_text('baseline = ".tonecheck-baseline.json"\n', encoding="utf-8")
    run_cli(["check", ".", "--write-baseline"])
    result = run_cli(["check", "--force-exclude", "replies/renewal.md"])
    assert result.code == 0 and "no longer match" not in result.err, result


# -- F35: no path in a terminal ----------------------------------------------------------------


def test_check_with_no_path_in_a_terminal_lints_the_folder(tmp_path, monkeypatch):
    import io
    import sys

    from tonecheck import _cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def read(self, *args: object) -> str:  # a terminal would wait here
            raise AssertionError("read standard input in a terminal")

    monkeypatch.chdir(_repo(tmp_path))
    monkeypatch.setattr(sys, "stdin", Terminal())
    out, err = io.StringIO(), io.StringIO()
    code = _cli.main(["check"], out=out, err=err)
    assert code == 1 and "checking ." in err.getvalue()
    assert "replies/restart.md" in out.getvalue()


def test_check_with_no_path_still_reads_a_pipe(run_cli):
    result = run_cli(["check"], stdin="Per my last email, it works.\n")
    assert "<stdin>:1:1: PAG003" in result.out, result


# -- F13: a nested config extends its parent ----------------------------------------------------


def test_a_nested_config_extends_its_parent(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tonecheck.toml").write_text(
        'glossary = ["Acme"]\nknown-variables = ["ticket.requester.first_name"]\nhelpdesk = ["zendesk"]\n', "utf-8"
    )
    (tmp_path / "helpscout").mkdir()
    (tmp_path / "helpscout" / "tonecheck.toml").write_text(
        'extend = "../tonecheck.toml"\nhelpdesk = ["helpscout"]\n', encoding="utf-8"
    )
    result = run_cli(["config", "helpscout"])
    assert result.code == 0, result
    config = json.loads(result.out)["config"]
    assert config["glossary"] == ["Acme"] and config["known-variables"] == ["ticket.requester.first_name"]
    assert config["helpdesk"] == ["helpscout"]


def test_an_extend_loop_is_an_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "tonecheck.toml").write_text('extend = "a/tonecheck.toml"\n', encoding="utf-8")
    (tmp_path / "a" / "tonecheck.toml").write_text('extend = "../tonecheck.toml"\n', encoding="utf-8")
    result = run_cli(["config", "."])
    assert result.code == 2 and "extends itself in a loop" in result.err, result


# -- CI formats, --output-file, --color, --stdin-filename, GitHub step summary -------------------


def _many(tmp_path: Path, count: int) -> None:
    (tmp_path / "replies").mkdir(exist_ok=True)
    for index in range(count):
        (tmp_path / "replies" / f"r{index:02}.md").write_text(BAD_REPLY, encoding="utf-8")


def test_concise_is_one_line_per_finding(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("Hi,\n\nThe plan can't be\nchanged. Per my last email, it works.\n", "utf-8")
    result = run_cli(["check", "r.txt", "--format", "concise", "--select", "NEG004,PAG003"])
    assert result.out.splitlines() == [
        'r.txt:3:10: NEG004 [warning] "can\'t be changed" refuses without saying who decided or what is possible instead.',
        'r.txt:4:10: PAG003 [warning] "Per my last email" is a well-known way of saying "read my emails".',
    ], result


def test_json_lines_gitlab_and_rdjson_carry_every_finding(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    lines = run_cli(["check", ".", "--format", "json-lines"]).out.splitlines()
    records = [json.loads(line) for line in lines]
    assert {(r["path"], r["code"]) for r in records} == {
        ("replies/restart.md", "PAG003"),
        ("zendesk/macros.json", "PAG003"),
    }
    gitlab = json.loads(run_cli(["check", ".", "--format", "gitlab"]).out)
    assert len(gitlab) == 2 and len({issue["fingerprint"] for issue in gitlab}) == 2
    assert {issue["location"]["path"] for issue in gitlab} == {"replies/restart.md", "zendesk/macros.json"}
    assert all(issue["severity"] == "minor" and issue["check_name"] == "PAG003" for issue in gitlab)
    rdjson = json.loads(run_cli(["check", ".", "--format", "rdjson"]).out)
    assert rdjson["source"]["name"] == "tonecheck" and len(rdjson["diagnostics"]) == 2
    assert {d["code"]["value"] for d in rdjson["diagnostics"]} == {"PAG003"}


def test_output_file_and_color(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    result = run_cli(["check", ".", "--output-file", "report.txt"])
    assert result.code == 1 and result.out == "" and "PAG003" in (tmp_path / "report.txt").read_text("utf-8")
    assert "\x1b[" in run_cli(["check", ".", "--color", "always"]).out
    assert "\x1b[" not in run_cli(["check", ".", "--color", "never"]).out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run_cli(["check", "."]).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli(["check", "."]).out


def test_stdin_filename_reads_standard_input_as_that_file(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    export = (tmp_path / "zendesk" / "macros.json").read_text("utf-8")
    result = run_cli(["check", "--stdin-filename", "zendesk/macros.json", "-"], stdin=export)
    assert result.code == 1, result
    [header] = [line for line in result.out.splitlines() if "PAG003" in line]
    assert header.startswith("zendesk/macros.json:") and "[Billing::Follow-up" in header, result.out


def test_github_format_writes_a_step_summary_listing_every_finding(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _many(tmp_path, 12)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(["check", "replies", "--format", "github"])
    assert result.code == 1 and result.out.count("::warning ") == 12, result
    text = summary.read_text(encoding="utf-8")
    assert "Found 12 problems in 12 of 12 files." in text and "GitHub shows only 10 annotations" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| replies/")) == 12
