"""`tonecheck test-rules`: run every rule's own examples, as the test suite does for the built-in
rules. A `flag` example must be flagged by its rule and a `pass` example must not be, each checked
with that rule selected alone (so a preview rule runs, and no other rule of its category can take
its match), in the examples' mode and with their context, in the rule's language, under the
configuration of the current folder (its glossary, helpdesk, known variables...).

Which rules: those of the files and folders given, else the configuration's `rule-paths` (the
team's rules), else, with `--builtin`, tonecheck's own too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ._api import Linter
from ._exceptions import InputError
from ._outputs.common import _plural, escape_text
from ._project.discovery import load_project
from ._ruleset.load import builtin_rules_dir, load_rules
from ._ruleset.schema import MatchingRule, Rule


@dataclass(frozen=True)
class Failure:
    code: str
    name: str
    source: str
    which: str  # "flag" or "pass"
    number: int  # 1-based, in the rule's list of that kind
    example: str
    found: tuple[str, ...]  # the codes that did flag a flag example / the matches of a pass example

    def line(self) -> str:
        shown = escape_text(self.example if len(self.example) <= 80 else self.example[:77] + "...")
        if self.which == "flag":
            what = "is not flagged by the rule" + (f" (flagged only by {', '.join(self.found)})" if self.found else "")
        else:
            what = "is flagged: " + ", ".join(f'"{escape_text(m)}"' for m in self.found)
        return f'{self.source}: {self.code} {self.name}: {self.which} example {self.number} {what}: "{shown}"'


def _rules_to_test(extra: tuple[str, ...], builtin: bool) -> list[tuple[Rule, str, str]]:
    """(rule, its language, the file it came from) for every rule to test, sorted by code: the rules
    of the `extra` rule paths, and tonecheck's own with `builtin`."""
    from ._language import packs

    if not extra and not builtin:
        raise InputError(
            "no rules to test: give rule files or folders, set `rule-paths` in the configuration, "
            "or add --builtin for tonecheck's own rules"
        )
    root = builtin_rules_dir().resolve()
    found: dict[str, tuple[Rule, str, str]] = {}
    for language in packs():
        ruleset = load_rules(extra, language)
        for rule in ruleset.rules:
            source = ruleset.sources[rule.code]
            if not isinstance(rule, MatchingRule) or rule.code in found:
                continue  # a tool rule's examples are files, checked by tonecheck's own tests
            if builtin or not Path(source).resolve().is_relative_to(root):
                found[rule.code] = (rule, language, source)
    return [found[code] for code in sorted(found)]


def run_rule_tests(
    paths: Sequence[str], *, config_file: Path | None, builtin: bool, out: TextIO, quiet: bool = False
) -> int:
    """Test the rules; print one line per failing example and a summary. The number of failures."""
    project = load_project(Path.cwd(), config_file=config_file)
    extra = tuple(str(Path(p).resolve()) for p in paths) or project.config.rule_paths
    rules = _rules_to_test(extra, builtin)
    failures: list[Failure] = []
    examples = 0
    for rule, language, source in rules:
        config = project.config.model_copy(
            update={"rule_paths": extra, "select": (rule.code,), "extend_select": (), "ignore": ()}
        )
        linter = Linter(config)
        context = dict(rule.examples.context) or None
        for which, texts in (("flag", rule.examples.flag), ("pass", rule.examples.pass_)):
            for number, text in enumerate(texts, 1):
                examples += 1
                report = linter.check(text, mode=rule.examples.mode, context=context, language=language)
                own = [f.match for f in report.findings if f.code == rule.code]
                if which == "flag" and not own:
                    others = tuple(sorted({f.code for f in report.findings}))
                    failures.append(Failure(rule.code, rule.name, source, which, number, text, others))
                elif which == "pass" and own:
                    failures.append(Failure(rule.code, rule.name, source, which, number, text, tuple(own)))
    for failure in failures:
        out.write(failure.line() + "\n")
    if not quiet:
        failed_rules = len({f.code for f in failures})
        outcome = f"{len(failures)} failed in {_plural(failed_rules, 'rule')}" if failures else "all passed"
        out.write(f"Tested {_plural(len(rules), 'rule')}, {_plural(examples, 'example')}: {outcome}.\n")
    return len(failures)
