"""The library's front door: Linter, check(format=...), check_file, load_config, one coordinate
system, thread safety, a cycle-free package, and the defects the architecture review found in the
file path (D1, D3, D9)."""

from __future__ import annotations

import ast
import html
import json
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import REPO_ROOT, wrap_reply

import tonecheck
from tonecheck._engine import linter as engine_module

ALL_RULES = tonecheck.Config(preview=True)
FORMATS_DIR = REPO_ROOT / "tests" / "data" / "formats"
EXAMPLES = REPO_ROOT / "examples" / "saved-replies"


# -- check_file is `tonecheck check` ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FORMATS_DIR.iterdir() if p.is_file()))
def test_check_file_gives_what_the_cli_reports(run_cli, name, monkeypatch):
    monkeypatch.chdir(FORMATS_DIR)
    report = tonecheck.check_file(name, config=ALL_RULES)
    result = run_cli(["check", name, "--format", "json", "--preview", "--exit-zero"])
    assert result.code == 0, result
    if report.skipped is not None:  # not a reply file: one note, no entry
        assert json.loads(result.out)["files"] == [] and "not a reply file, skipped" in result.err
        return
    (entry,) = json.loads(result.out)["files"]
    expected = [
        (f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["reply_id"]) for f in entry["findings"]
    ]
    got = [(f.code, f.line, f.column, f.end_line, f.end_column, reply) for f, reply in report.findings_with_replies()]
    assert got == expected
    assert report.path == name
    assert report.source == (FORMATS_DIR / name).read_text(encoding="utf-8-sig")


def test_check_file_gives_one_report_per_saved_reply_with_its_title():
    report = tonecheck.check_file(FORMATS_DIR / "zendesk_macros.json", config=ALL_RULES)
    assert report.format == "zendesk-macros"
    titles = [reply.reply_id for reply in report.replies]
    assert len(titles) >= 2 and all(titles)
    assert all(reply.mode == "saved" for reply in report.replies)


def test_source_offsets_index_the_file_and_reply_offsets_the_reply():
    for path in sorted(FORMATS_DIR.iterdir()):
        if not path.is_file():
            continue
        report = tonecheck.check_file(path, config=ALL_RULES)
        source = report.source
        assert source is not None
        lines = source.split("\n")
        for reply in report.replies:
            for f in reply.findings:
                assert reply.text[f.start : f.end] == f.match
                assert 0 <= f.source_start <= f.source_end <= len(source)
                # line and column are where the source span starts, from the same line index
                before = source[: f.source_start]
                assert f.line == before.count("\n") + 1
                assert f.column == f.source_start - (before.rfind("\n") + 1) + 1
                assert 1 <= f.line <= len(lines)
                for s in f.suggestions:
                    if s.replacement is not None:
                        assert s.source_start is not None and s.source_end is not None
                        assert 0 <= s.source_start <= s.source_end <= len(source)


def test_check_file_finds_the_configuration_upward_like_the_cli(tmp_path):
    (tmp_path / "tonecheck.toml").write_text('glossary = ["Helpwise Pro"]\nignore = ["PAG003"]\n', encoding="utf-8")
    folder = tmp_path / "team"
    folder.mkdir()
    reply = folder / "reply.txt"
    reply.write_text(wrap_reply("Per my last email, Helpwise Pro syncs nightly."), encoding="utf-8")
    assert [f.code for f in tonecheck.check_file(reply).findings] == []
    config = tonecheck.load_config(reply)
    assert config.glossary == ("Helpwise Pro",) and config.ignore == ("PAG003",)
    assert "PAG003" in [f.code for f in tonecheck.check_file(reply, config=tonecheck.Config()).findings]


def test_check_file_applies_per_file_ignores_and_mode_globs_of_its_project(tmp_path):
    (tmp_path / "tonecheck.toml").write_text(
        'preview = true\n[per-file-ignores]\n"legal/*" = ["NEG010"]\n[mode]\n"drafts/**" = "draft"\n', encoding="utf-8"
    )
    for folder in ("legal", "drafts", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "r.txt").write_text(
            wrap_reply("Hi {{first_name}}, you have to sign it."), encoding="utf-8"
        )
    codes = {
        folder: [f.code for f in tonecheck.check_file(tmp_path / folder / "r.txt").findings]
        for folder in ("legal", "drafts", "other")
    }
    assert "NEG010" not in codes["legal"] and "NEG010" in codes["other"]
    # a filled-in placeholder is expected in a saved reply, and a leftover in a draft
    assert "TPL001" in codes["drafts"] and "TPL001" not in codes["other"]
    assert [r.mode for r in tonecheck.check_file(tmp_path / "drafts" / "r.txt").replies] == ["draft"]


def test_check_file_reports_unused_suppressions_as_ton100(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("<!-- tonecheck: ignore PAG003 -->\n" + wrap_reply("Thanks for waiting."), encoding="utf-8")
    (finding,) = tonecheck.check_file(path, config=tonecheck.Config()).findings
    assert (finding.code, finding.line, finding.column) == ("TON100", 1, 1)


# -- drafts as markup ----------------------------------------------------------------------------


def test_check_html_gives_offsets_into_the_markup_and_into_the_text():
    draft = "<p>Hi Ann,</p>\n<p>As I said, we can&#39;t ship to <b>Norway</b>.</p>"
    report = tonecheck.check(draft, format="html", config=ALL_RULES)
    assert "<" not in report.text and "we can't ship" in report.text
    assert report.findings
    for f in report.findings:
        assert report.text[f.start : f.end] == f.match
        assert html.unescape(_strip_tags(draft[f.source_start : f.source_end])) == f.match
        assert f.line == draft[: f.source_start].count("\n") + 1
    refusal = next(f for f in report.findings if f.category == "negative-language")
    assert draft[refusal.source_start : refusal.source_end] == "we can&#39;t"


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]*>", "", text)


def test_check_markdown_skips_code_and_keeps_offsets():
    draft = "Hi Sam,\n\n```\nyou have to\n```\n\nYou have to pay for it.\n"
    report = tonecheck.check(draft, format="markdown", config=ALL_RULES)
    obligations = [f for f in report.findings if f.code == "NEG010"]
    assert [draft[f.source_start : f.source_end] for f in obligations] == ["You have to"]


def test_check_rejects_an_unknown_format_and_bad_arguments():
    with pytest.raises(tonecheck.InputError, match="format"):
        tonecheck.check("hi", format="pdf")  # type: ignore[arg-type]
    with pytest.raises(tonecheck.InputError, match="channel"):
        tonecheck.check("hi", channel="fax")  # type: ignore[arg-type]
    with pytest.raises(tonecheck.InputError, match="context"):
        tonecheck.check("hi", context={"customer_name": 3})  # type: ignore[dict-item]
    with pytest.raises(tonecheck.InputError, match="config"):
        tonecheck.check("hi", config={"select": ["NEG"]})  # type: ignore[arg-type]
    with pytest.raises(tonecheck.InputError, match="path"):
        tonecheck.check_file(42)  # type: ignore[arg-type]
    with pytest.raises(tonecheck.InputError, match="no such file"):
        tonecheck.check_file("/nonexistent/reply.txt", config=tonecheck.Config())


# -- Linter ---------------------------------------------------------------------------------------


def test_linter_is_built_once_even_when_sixteen_threads_ask_at_once():
    config = tonecheck.Config(glossary=("Threadsafe Widget",), preview=True)  # a configuration no one built yet
    before = engine_module.builds
    results: list[tuple[str, ...]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(16)
    text = wrap_reply("As I said, you have to restart the router. We can't refund it.")

    def work() -> None:
        try:
            start.wait()
            report = tonecheck.check(text, config=config)
            results.append(tuple(f.code for f in report.findings))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert engine_module.builds - before == 1
    assert len(set(results)) == 1 and results[0]


def test_engines_for_many_configurations_stay_bounded_in_memory():
    """A process that lints with configuration after configuration (a service for many teams)
    keeps at most eight engines alive, not every one it ever built."""
    import gc
    import weakref

    codes = ["PAG001", "PAG002", "PAG003", "PAG004", "PAG005", "PAG006", "PAG007", "PAG010", "PAG011", "PAG012"]
    built = []
    for code in codes:
        config = tonecheck.Config(ignore=(code,), glossary=("Bounded Widget",))
        tonecheck.check("Hi Sam, thanks.", config=config)  # (tonecheck.check keeps linters of its own)
        built.append(weakref.ref(engine_module.get_engine(config)))
    del config
    gc.collect()
    alive = sum(ref() is not None for ref in built)
    assert alive <= 8, alive


def test_a_shared_linter_gives_the_same_findings_in_threads_as_alone():
    linter = tonecheck.Linter(ALL_RULES)
    texts = [wrap_reply(f"Order {i}: as I said, you have to wait. The RCA is pending.") for i in range(40)]
    alone = [linter.check(t).findings for t in texts]
    together: dict[int, tuple[tonecheck.Finding, ...]] = {}

    def work(index: int) -> None:
        together[index] = linter.check(texts[index]).findings

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [together[i] for i in range(len(texts))] == alone


def test_linter_check_file_and_fix_use_its_configuration(tmp_path):
    linter = tonecheck.Linter(tonecheck.Config(select=("PAG002",)))
    path = tmp_path / "r.txt"
    path.write_text(wrap_reply("As I said, you have to restart."), encoding="utf-8")
    assert [f.code for f in linter.check_file(path).findings] == ["PAG002"]
    fixed = linter.fix("As I said, the refund is on its way.", unsafe=True)
    assert fixed.changed and "As I said" not in fixed.text
    assert linter.config.select == ("PAG002",)


# -- architecture ---------------------------------------------------------------------------------


def _module_imports() -> dict[str, set[str]]:
    """Every tonecheck module and the tonecheck modules it imports when it runs (top level and
    inside functions; imports under `if TYPE_CHECKING:` are for the type checker only)."""
    package = REPO_ROOT / "tonecheck"
    graph: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        base = module.split(".") if is_package else module.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {
            id(node)
            for n in ast.walk(tree)
            if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
            for node in ast.walk(n)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = base[: len(base) - (node.level - 1)]
                    target = ".".join([*anchor, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if target.startswith("tonecheck"):
                    # `from package import submodule` depends on the submodule; importing any
                    # module runs its parents' __init__ too, which is not a dependency of its own
                    submodules = {f"{target}.{alias.name}" for alias in node.names}
                    named = {
                        m
                        for m in submodules
                        if (package / Path(*m.split(".")[1:])).with_suffix(".py").exists()
                        or (package / Path(*m.split(".")[1:]) / "__init__.py").exists()
                    }
                    targets.update(named)
                    if named != submodules:
                        targets.add(target)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("tonecheck"))
        graph[module] = targets
    return {m: {t for t in ts if t in graph and t != m} for m, ts in graph.items()}


def test_the_package_has_no_import_cycle():
    graph = _module_imports()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_detectors_and_rules_do_not_depend_on_the_engine_or_the_front_ends():
    graph = _module_imports()
    low = [
        m
        for m in graph
        if m.startswith(
            (
                "tonecheck._detectors",
                "tonecheck._ruleset",
                "tonecheck._inputs",
                "tonecheck._text",
                "tonecheck._anatomy",
                "tonecheck._types",
            )
        )
    ]
    for module in low:
        bad = [
            t
            for t in graph[module]
            if t.startswith(
                ("tonecheck._engine", "tonecheck._project", "tonecheck._api", "tonecheck._cli", "tonecheck._outputs")
            )
        ]
        assert not bad, f"{module} imports {bad}"


def test_public_api_is_sorted_complete_and_owned_by_the_package():
    names = tonecheck.__all__
    # sorted as ruff sorts __all__: CONSTANTS, then Classes, then functions
    assert list(names) == sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    public = {n for n in dir(tonecheck) if not n.startswith("_")}
    assert public == set(names) - {"__version__"}
    for name in names:
        obj = getattr(tonecheck, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__module__ == "tonecheck", name


def test_the_version_is_defined_once(run_cli):
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject.split("[tool.setuptools.dynamic]")[0]
    result = run_cli(["--version"])
    assert result.out == f"tonecheck {tonecheck.__version__}\n"


def test_reply_file_extensions_are_defined_once():
    from tonecheck._inputs.detect import detect_format
    from tonecheck._inputs.extensions import REPLY_FILE_GLOBS

    assert tonecheck.Config().include == REPLY_FILE_GLOBS
    hook = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    import re

    pattern = re.search(r"files: '(.*)'", hook)
    assert pattern is not None
    for glob in REPLY_FILE_GLOBS:
        name = "reply" + glob[1:] if glob.startswith("*") else glob
        assert re.search(pattern.group(1), name), f"the pre-commit hook does not pass {name}"
        assert re.search(pattern.group(1), "a/" + name)
    for ext in (".mdown", ".mkd", ".xhtml", ".handlebars"):
        assert detect_format("r" + ext, "Hello") != "text" or ext == ".txt"


def test_wheel_ships_every_rule_file(tmp_path):
    import subprocess
    import sys

    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("tonecheck-*.whl")
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith((".yml", ".yaml"))}
    rules = REPO_ROOT / "rules"
    expected = {"tonecheck/rules/" + p.relative_to(rules).as_posix() for p in rules.rglob("*.yml")}
    assert expected and expected <= shipped
    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA"))
    assert f"Version: {tonecheck.__version__}" in zipfile.ZipFile(wheel).read(metadata).decode()


# -- defects in the file path ---------------------------------------------------------------------


def test_d1_a_broken_configuration_in_the_working_folder_does_not_touch_other_files(run_cli, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    (here / "tonecheck.toml").write_text("sevrity = 1\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "rules").mkdir(parents=True)
    (project / "tonecheck.toml").write_text('rule-paths = ["rules"]\n', encoding="utf-8")
    (project / "rules" / "house.yml").write_text(
        "category: passive-aggressive\nrules:\n  - code: HSE001\n    name: house-phrase\n    kind: phrase\n"
        "    message: a house phrase\n    why: Because the house says so.\n    fix: Say it plainly.\n"
        '    phrases: ["frobnicate the widget"]\n    examples:\n      flag: ["We frobnicate the widget."]\n'
        '      pass: ["We fix the widget."]\n',
        encoding="utf-8",
    )
    (project / "r.txt").write_text(wrap_reply("We frobnicate the widget today."), encoding="utf-8")
    monkeypatch.chdir(here)
    result = run_cli(["check", str(project / "r.txt"), "--format", "sarif"])
    assert result.code == 1, result
    log = json.loads(result.out)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "Because the house says so." in json.dumps(rules["HSE001"])  # its own descriptor, not a fallback


def test_d3_suppressing_a_rule_that_is_not_selected_is_not_an_unused_suppression(run_cli, tmp_path):
    path = tmp_path / "s.md"
    path.write_text("<!-- tonecheck: ignore NEG001 -->\n" + wrap_reply("Thanks for waiting."), encoding="utf-8")
    assert run_cli(["check", str(path), "--select", "PAG"]).code == 0
    result = run_cli(["check", str(path), "--select", "NEG001,TON100", "--format", "json"])
    assert [f["code"] for f in json.loads(result.out)["files"][0]["findings"]] == ["TON100"]


def test_spacy_is_imported_without_its_command_line_which_still_works_when_used():
    import subprocess
    import sys

    script = (
        "import sys, tonecheck\n"
        "assert tonecheck.check('Per our policy, as I said, no.', mode='draft').text\n"
        "assert 'spacy' in sys.modules and 'spacy.cli' not in sys.modules and 'weasel' not in sys.modules\n"
        "import spacy\n"
        "assert callable(spacy.cli.download)\n"  # the real command line, imported on first use
        "assert isinstance(spacy.info(), dict)\n"
        "from spacy.cli.info import info\n"
        "assert info is spacy.cli.info\n"  # as in spaCy: the function shadows its module
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
