"""The audit's HTML report in a real browser (Debian's chromium, headless, driven by Playwright):
it loads from a file with no console error and no request for anything, and a screenshot shows
the charts' bars. Outside CI the test skips when chromium is not installed; in CI it fails."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path
from typing import Any

from serve_support import launch_browser, need_browser
from test_audit import hostile_export, zendesk_export

from tonecheck import Config
from tonecheck._audit.run import AuditOptions, run_audit

BAR = (0x34, 0x67, 0xC2)  # the charts' bar colour


def _png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixels of an 8-bit, non-interlaced PNG (as Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(data), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r) for r in rows]


def _bar_pixels(png: bytes) -> int:
    width, _, rows = _png_pixels(png)
    channels = len(rows[0]) // width
    return sum(1 for row in rows for x in range(0, len(row), channels) if tuple(row[x : x + 3]) == BAR)


def test_report_loads_offline_without_errors_and_shows_charts(tmp_path: Path) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    export = tmp_path / "tickets.json"
    export.write_text(json.dumps(zendesk_export()), encoding="utf-8")
    page_file = tmp_path / "report.html"
    with page_file.open("w", encoding="utf-8") as out:
        run_audit(AuditOptions(paths=[export], config=Config(), output_format="html", workers=1), out, io.StringIO())
    url = page_file.as_uri()
    with sync_playwright() as playwright:
        context = launch_browser(playwright, tmp_path / "profile")
        try:
            page = context.new_page()
            requests: list[str] = []
            problems: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(url, wait_until="load")
            assert requests == [url]  # the page itself, nothing else
            assert problems == []
            charts = page.locator("svg")
            assert charts.count() >= 3
            boxes: list[Any] = [charts.nth(i).bounding_box() for i in range(charts.count())]
            assert all(b is not None and b["width"] > 200 and b["height"] > 20 for b in boxes)
            category_chart = charts.nth(0).screenshot()
            assert _bar_pixels(category_chart) > 200  # the bars are drawn
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            assert _bar_pixels((tmp_path / "report.png").read_bytes()) > _bar_pixels(category_chart)
            marks = page.locator("mark")
            assert {marks.nth(i).inner_text() for i in range(marks.count())} == {"{{first_name}}", "Per my last email"}
        finally:
            context.close()


def test_hostile_text_stays_text_in_the_browser(tmp_path: Path) -> None:
    """Replies and agents' names with markup, quotes, control and bidi characters: the page
    builds no element from them, runs nothing, and shows them as text."""
    need_browser()
    from playwright.sync_api import sync_playwright

    export, columns = hostile_export(tmp_path)
    page_file = tmp_path / "report.html"
    with page_file.open("w", encoding="utf-8") as out:
        options = AuditOptions(paths=[export], config=Config(), columns=columns, output_format="html", workers=1)
        run_audit(options, out, io.StringIO())
    with sync_playwright() as playwright:
        context = launch_browser(playwright, tmp_path / "profile")
        try:
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
            page.goto(page_file.as_uri(), wait_until="load")
            assert problems == []
            assert page.locator("script, img, iframe, object, embed").count() == 0
            charts = page_file.read_text(encoding="utf-8").count("<svg ")
            assert charts >= 2 and page.locator("svg").count() == charts  # a name's </svg> closed no chart
            cells = page.locator("td").all_inner_texts()
            assert any(
                c.startswith("<script>alert(1)</script></svg><img src=x onerror=alert(2)>\"'&\u241b[31m") for c in cells
            )
            assert any("[U+202E]evil[U+2066]x" in c for c in cells)
        finally:
            context.close()
