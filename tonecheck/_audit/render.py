"""The report as one self-contained HTML page (inline CSS, charts as inline SVG drawn here: no
script, font, image or link to fetch), as JSON, and the per-finding CSV writer."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from html import escape as _html_escape
from typing import Any, TextIO

from .records import SKIP_REASONS

HTML_ROWS = 100  # rows per table in the HTML page (the JSON report has them all)
CSV_COLUMNS = ("reply_id", "agent", "time", "channel", "macro", "code", "category", "match")

_CSS = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--bar:#3467c2;--mark:#ffe08a;--ins:#d6f5dd}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
margin:0 auto;max-width:1000px;padding:24px}h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;
border-bottom:2px solid var(--line);padding-bottom:4px}p.meta{color:var(--muted);margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;
min-width:150px}.card b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:var(--ink)}.ex{border:1px solid var(--line);border-radius:8px;
padding:8px 12px;margin:10px 0;break-inside:avoid}.ex .who{color:var(--muted);font-size:13px}
mark{background:var(--mark);padding:0 2px}ins{background:var(--ins);text-decoration:none;padding:0 2px}
blockquote{margin:4px 0;white-space:pre-wrap}code{font-size:13px}.note{color:var(--muted);font-size:13px}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


# Hostile text (a reply, an agent's or a macro's name, a file name) is shown as it is, never
# obeyed: markup escaped; control characters (but tab and line ends) as their Unicode control
# pictures or code points; bidirectional embeddings, overrides and isolates, which can make text
# read backwards, as their code points; lone surrogates (JSON escapes that are not characters) as
# U+FFFD. In the JSON report the same characters are written as \u escapes (the data is kept);
# in the CSV, a cell that a spreadsheet would run as a formula starts with an apostrophe.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"[U+{code:04X}]"


def visible(text: str) -> str:
    """Text with its control, bidi-override and lone-surrogate characters made visible."""
    return _UNSAFE.sub(_shown, text)


def escape(text: str) -> str:
    """Text for an HTML page: visible (see `visible`) and markup escaped, quotes included."""
    return _html_escape(visible(text), quote=True)


def _n(value: float) -> str:
    return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"


def bar_chart(title: str, items: Sequence[tuple[str, float]], *, unit: str = "per 1,000 replies") -> str:
    """Horizontal bars, one per item, labelled with the item and its value."""
    if not items:
        return "<p class=note>Nothing to chart.</p>"
    label_w, bar_w, row_h = 230, 560, 22
    top = max(v for _, v in items) or 1.0
    height = row_h * len(items) + 30
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {label_w + bar_w + 90} {height}" '
        f'width="{label_w + bar_w + 90}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for k, (label, value) in enumerate(items):
        y = 8 + k * row_h
        w = max(1.0, bar_w * value / top) if value else 0
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="#3467c2">'
            f"<title>{escape(label)}: {_n(value)} {unit}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{_n(value)}</text>'
        )
    parts.append(f'<text x="{label_w}" y="{height - 4}" fill="#5b6475">{escape(unit)}</text></svg>')
    return "".join(parts)


def trend_chart(title: str, points: Sequence[tuple[str, float, int]]) -> str:
    """Columns per week (findings per 1,000 replies), with the weeks labelled below."""
    if not points:
        return "<p class=note>No reply had a time.</p>"
    width, height, pad = 900, 260, 40
    top = max(v for _, v, _ in points) or 1.0
    step = (width - 2 * pad) / len(points)
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#5b6475"/>',
        f'<text x="{pad}" y="14" fill="#5b6475">findings per 1,000 replies (max {_n(top)})</text>',
    ]
    label_every = max(1, len(points) // 12)
    for k, (week, value, replies) in enumerate(points):
        h = (height - 2 * pad - 10) * value / top
        x = pad + k * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{height - pad - h:.1f}" width="{max(step * 0.8, 1):.1f}" '
            f'height="{h:.1f}" fill="#3467c2"><title>{escape(week)}: {_n(value)} per 1,000 replies '
            f"({replies:,} replies)</title></rect>"
        )
        if k % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - pad + 16}" text-anchor="middle">{escape(week)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool]) -> str:
    head = "".join(f"<th{' class=n' if num else ''}>{escape(h)}</th>" for h, num in zip(headers, numeric, strict=True))
    body = []
    for row in rows[:HTML_ROWS]:
        cells = "".join(
            f"<td class=n>{_n(v)}</td>" if num else f"<td>{escape(str(v))}</td>"
            for v, num in zip(row, numeric, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    more = f"<p class=note>{len(rows) - HTML_ROWS:,} more rows in the JSON report.</p>" if len(rows) > HTML_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _tally_rows(tallies: dict[str, Any]) -> list[list[Any]]:
    return [
        [name, t["replies"], t["findings"], t["findings_per_1000_replies"], t["replies_with_findings"]]
        for name, t in tallies.items()
    ]


_TALLY_HEAD = ("", "replies", "findings", "per 1,000 replies", "replies with findings")
_TALLY_NUM = (False, True, True, True, True)


def _example(e: dict[str, Any]) -> str:
    found = f"{escape(e['before'])}<mark>{escape(e['match'])}</mark>{escape(e['after'])}"
    rewrite = ""
    if e.get("rewrite") is not None:
        rewrite = (
            f"<div class=note>Suggested rewrite:</div><blockquote>{escape(e['rewrite_before'])}"
            f"<ins>{escape(e['rewrite'])}</ins>{escape(e['rewrite_after'])}</blockquote>"
        )
    who = f"reply {e['reply_id']} · {e.get('agent') or 'unknown agent'} · {e['channel']}"
    return (
        f"<div class=ex><div><b>{escape(e['code'])}</b> {escape(e['category'])}</div>"
        f"<div class=who>{escape(who)}</div><blockquote>{found}</blockquote>{rewrite}</div>"
    )


def render_html(report: dict[str, Any]) -> str:
    n = report["replies_linted"]
    skipped = report["replies_skipped"]
    out = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>tonecheck audit</title><style>{_CSS}</style></head><body>",
        "<h1>How the team writes: tonecheck audit</h1>",
        f"<p class=meta>{escape(', '.join(report['inputs']))} · tonecheck {escape(report['version'])}"
        f"{' · examples redacted' if report['redacted'] else ''}</p>",
        "<div class=cards>",
        f"<div class=card><b>{n:,}</b>agents' public replies linted</div>",
        f"<div class=card><b>{report['findings']:,}</b>findings</div>",
        f"<div class=card><b>{_n(report['findings_per_1000_replies'])}</b>findings per 1,000 replies</div>",
        f"<div class=card><b>{sum(skipped.values()):,}</b>records skipped</div>",
        f"<div class=card><b>{report['records_unreadable']:,}</b>records unreadable</div>",
        "</div>",
        "<h2>Findings per 1,000 replies, by category</h2>",
        bar_chart(
            "Findings per 1,000 replies by category",
            [(c, v["findings_per_1000_replies"]) for c, v in report["by_category"].items()],
        ),
        _table(
            ("category", "replies with it", "findings", "per 1,000 replies"),
            [
                [c, v["replies"], v["findings"], v["findings_per_1000_replies"]]
                for c, v in report["by_category"].items()
            ],
            (False, True, True, True),
        ),
        "<h2>Trend by week</h2>",
        trend_chart(
            "Findings per 1,000 replies by week",
            [
                (w, t["findings_per_1000_replies"], t["replies"])
                for w, t in report["by_week"].items()
                if w != "(unknown)"
            ],
        ),
        _table(("week", *_TALLY_HEAD[1:]), _tally_rows(report["by_week"]), _TALLY_NUM),
        "<h2>By rule</h2>",
        _table(
            ("rule", "name", "category", "replies with it", "findings", "per 1,000 replies"),
            [
                [c, v["name"], v["category"], v["replies"], v["findings"], v["findings_per_1000_replies"]]
                for c, v in report["by_rule"].items()
            ],
            (False, False, False, True, True, True),
        ),
        "<h2>By agent</h2>",
        bar_chart(
            "Findings per 1,000 replies by agent (agents with the most findings)",
            [(a, t["findings_per_1000_replies"]) for a, t in list(report["by_agent"].items())[:20]],
        ),
        _table(("agent", *_TALLY_HEAD[1:]), _tally_rows(report["by_agent"]), _TALLY_NUM),
        "<h2>By channel</h2>",
        _table(("channel", *_TALLY_HEAD[1:]), _tally_rows(report["by_channel"]), _TALLY_NUM),
        "<h2>By language</h2>",
        _table(("language", *_TALLY_HEAD[1:]), _tally_rows(report["by_language"]), _TALLY_NUM),
        "<h2>By macro</h2>",
        f"<p class=note>{report['replies_without_macro']:,} replies used no macro the export records.</p>",
        _table(("macro", *_TALLY_HEAD[1:]), _tally_rows(report["by_macro"]), _TALLY_NUM),
        "<h2>Most frequent matched phrases</h2>",
        _table(
            ("phrase", "rule", "count"),
            [[p["phrase"], p["code"], p["count"]] for p in report["top_phrases"]],
            (False, False, True),
        ),
        "<h2>Examples</h2>",
        "".join(_example(e) for e in report["examples"]) or "<p class=note>No findings.</p>",
        "<h2>Records skipped, and why</h2>",
        _table(
            ("reason", "what it means", "records"),
            [[r, SKIP_REASONS.get(r, r), c] for r, c in skipped.items()],
            (False, False, True),
        ),
    ]
    if report["errors"]:
        out.append(f"<p>{report['records_unreadable']:,} records could not be read:</p><ul>")
        out.extend(f"<li><code>{escape(m)}</code></li>" for m in report["errors"][:HTML_ROWS])
        out.append("</ul>")
    library = report.get("library")
    if library:
        out.append(_library_html(library))
    out.append("</body></html>\n")
    return "".join(out)


def _library_html(lib: dict[str, Any]) -> str:
    parts = [
        "<h2>Saved-reply library</h2>",
        f"<p>{lib['macros']:,} macros, {lib['macros_with_findings']:,} with findings.</p>",
        "<h3>Findings per macro</h3>",
        _table(
            ("macro", "findings", "rules", "used in replies", "findings in those replies"),
            [
                [m["macro"], m["findings"], ", ".join(m["by_rule"]), m["used_in_replies"], m["findings_in_replies"]]
                for m in lib["by_macro"]
            ],
            (False, True, False, True, True),
        ),
        "<h3>Macros behind the most findings in real replies</h3>",
        _table(
            ("macro", "replies", "findings", "per 1,000 replies"),
            [
                [m["macro"], m["replies"], m["findings"], m["findings_per_1000_replies"]]
                for m in lib["most_findings_in_replies"]
            ],
            (False, True, True, True),
        ),
        "<h3>Near-duplicate macros</h3>",
        _table(
            ("macro", "macro", "similarity"),
            [[p["a"], p["b"], p["similarity"]] for p in lib["near_duplicates"]],
            (False, False, True),
        ),
        "<h3>Placeholders, per helpdesk syntax</h3>",
        _table(
            ("syntax", "placeholder", "macros using it"),
            [[s, p, c] for s, found in lib["placeholders"].items() for p, c in found.items()],
            (False, False, True),
        ),
        "<h3>Greetings and sign-offs</h3>",
        f"<p>{lib['greetings']['macros_with_greeting']:,} macros greet, "
        f"{lib['greetings']['macros_without_greeting']:,} do not; "
        f"{lib['signoffs']['macros_with_signoff']:,} sign off, "
        f"{lib['signoffs']['macros_without_signoff']:,} do not.</p>",
        _table(
            ("greeting form", "macros"),
            [[f, c] for f, c in lib["greetings"]["forms"].items()],
            (False, True),
        ),
        _table(
            ("sign-off form", "macros"),
            [[f, c] for f, c in lib["signoffs"]["forms"].items()],
            (False, True),
        ),
    ]
    return "".join(parts)


def render_json(report: dict[str, Any]) -> str:
    """JSON text in UTF-8; C0 controls are escaped by json, and C1 controls, line and paragraph
    separators, bidi controls and lone surrogates here: they can only be inside strings, so
    writing them as \\u escapes keeps every value as it was."""
    text = json.dumps(report, indent=1, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows and never runs: visible (see `visible`), and an apostrophe
    before a leading =, +, -, @, tab or carriage return (which would start a formula)."""
    value = visible(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(reply: Any, channel: str, row: Sequence[Any]) -> tuple[str, ...]:
    """One finding's CSV row (see CSV_COLUMNS)."""
    cells = (reply.id, reply.agent or "", reply.time or "", channel, reply.macro or "", row[0], row[1], row[4])
    return tuple(csv_cell(c) for c in cells)


class CsvFindings:
    """One row per finding, written as the tasks' rows come in."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        csv.writer(stream).writerow(CSV_COLUMNS)

    def write(self, rows: str) -> None:
        """Rows as a worker's csv.writer wrote them."""
        self.stream.write(rows)
