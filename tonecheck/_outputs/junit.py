"""JUnit XML: one test case per finding, and one per reply or file without findings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding
from .common import FileError, FileResult, escape_char, escape_text

_XML_INVALID = re.compile("[\ufffe\uffff]")


def _xml_text(value: str, *, attribute: bool = False) -> str:
    """Text XML 1.0 can hold: characters it forbids and control characters (see
    `common.escape_text`) are written as \\xNN or \\uNNNN escapes, and so are line breaks in
    element text (in an attribute the serializer writes them as &#10;, so no output line starts
    with content)."""
    value = escape_text(value, keep_line_breaks=attribute)
    return _XML_INVALID.sub(lambda m: escape_char(m.group()), value) if _XML_INVALID.search(value) else value


def _case(name: str, classname: str, path: str, line: int | None = None) -> ET.Element:
    attributes = {
        "name": _xml_text(name, attribute=True),
        "classname": _xml_text(classname, attribute=True),
        "file": _xml_text(path, attribute=True),
    }
    if line is not None:
        attributes["line"] = str(line)
    return ET.Element("testcase", attributes)


def _render_junit(
    results: Sequence[FileResult], rules: Mapping[str, Rule], version: str, *, errors: Sequence[FileError] = ()
) -> str:
    """One test case per finding (several consumers show only a case's first failure), one
    passing case per reply (or file) without findings, so the totals count what was checked, and
    one case with an <error> per file that could not be linted."""
    cases: list[ET.Element] = []
    for result in results:
        replies: list[tuple[str | None, tuple[Finding, ...]]] = [(r.reply_id, r.findings) for r in result.replies]
        for reply_id, findings in replies or [(None, ())]:
            label = result.path if reply_id is None else f"{result.path} [{reply_id}]"
            if not findings:
                cases.append(_case(label, label, result.path))
            for finding in findings:
                case = _case(
                    f"{finding.code} {finding.name} at {finding.line}:{finding.column}",
                    label,
                    result.path,
                    finding.line,
                )
                failure = ET.SubElement(
                    case,
                    "failure",
                    {
                        "message": _xml_text(finding.message, attribute=True),
                        "type": finding.code,
                    },
                )
                failure.text = _xml_text(
                    f"{finding.line}:{finding.column}: {finding.code} [{finding.severity.value}] {finding.message}"
                )
                cases.append(case)
    for error in errors:
        case = _case(error.path, error.path, error.path, error.line)
        ET.SubElement(case, "error", {"message": _xml_text(error.message, attribute=True)})
        cases.append(case)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(len(errors)), "skipped": "0"}
    root = ET.Element("testsuites", {"name": "tonecheck", **{k: counts[k] for k in ("tests", "failures", "errors")}})
    suite = ET.SubElement(root, "testsuite", {"name": "tonecheck", **counts})
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
