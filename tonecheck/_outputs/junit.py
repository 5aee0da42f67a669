"""JUnit XML: one test case per file and reply."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding
from .common import FileResult, _pairs, escape_char, escape_text

_XML_INVALID = re.compile("[\ufffe\uffff]")


def _xml_text(value: str, *, attribute: bool = False) -> str:
    """Text XML 1.0 can hold: characters it forbids and control characters (see
    `common.escape_text`) are written as \\xNN or \\uNNNN escapes, and so are line breaks in
    element text (in an attribute the serializer writes them as &#10;, so no output line starts
    with content)."""
    value = escape_text(value, keep_line_breaks=attribute)
    return _XML_INVALID.sub(lambda m: escape_char(m.group()), value) if _XML_INVALID.search(value) else value


def _render_junit(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    cases: list[ET.Element] = []
    for result in results:
        groups: dict[str | None, list[Finding]] = {}
        for finding, reply_id in _pairs(result):
            groups.setdefault(reply_id, []).append(finding)
        if not groups:
            groups[None] = []
        for reply_id, findings in groups.items():
            name = result.path if reply_id is None else f"{result.path} [{reply_id}]"
            case = ET.Element(
                "testcase",
                {
                    "name": _xml_text(name, attribute=True),
                    "classname": "tonecheck",
                    "file": _xml_text(result.path, attribute=True),
                },
            )
            for finding in findings:
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
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "tonecheck", **{k: counts[k] for k in ("tests", "failures", "errors")}})
    suite = ET.SubElement(root, "testsuite", {"name": "tonecheck", **counts})
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
