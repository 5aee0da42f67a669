"""`tonecheck audit` (issue 15): helpdesk exports in, a team lead's report out.

Every conversation here is invented for these tests. The two stable rules the assertions lean on
are TPL001 (an unfilled placeholder) and PAG003 ("per my last email"), so rule tuning elsewhere
does not move these numbers.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from tonecheck import Config
from tonecheck._audit.aggregate import Aggregate
from tonecheck._audit.readers import Columns, read
from tonecheck._audit.records import Reply, Skipped, Unreadable
from tonecheck._audit.redact import redact
from tonecheck._audit.render import render_json
from tonecheck._audit.run import AuditOptions, run_audit

SCHEMA = Path(__file__).resolve().parent.parent / "tonecheck" / "_audit" / "audit-report.schema.json"

PLACEHOLDER = (
    "Hi {{first_name}},\n\nYour replacement kettle left our warehouse today. Let me know if it has not arrived "
    "by Friday.\n\nBest,\nJo"
)
PER_MY_LAST = "Hello Dana,\n\nPer my last email, the voucher is valid until June.\n\nThanks,\nJo"
CLEAN = "Hi Dana,\n\nThe voucher is valid until June. Let me know if anything else comes up.\n\nBest,\nJo"


def zendesk_export() -> dict[str, Any]:
    return {
        "tickets": [
            {
                "id": 501,
                "requester_id": 90,
                "via": {"channel": "email"},
                "comments": [
                    {
                        "id": 1,
                        "author_id": 90,
                        "public": True,
                        "body": "Where is my kettle?",
                        "created_at": "2024-03-04T08:00:00Z",
                    },
                    {
                        "id": 2,
                        "author_id": 10,
                        "public": True,
                        "body": PLACEHOLDER,
                        "created_at": "2024-03-04T09:00:00Z",
                        "audit_id": 7001,
                    },
                    {
                        "id": 3,
                        "author_id": 10,
                        "public": False,
                        "body": "Checked the courier portal.",
                        "created_at": "2024-03-04T09:05:00Z",
                    },
                ],
            },
            {
                "id": 502,
                "requester_id": 90,
                "via": {"channel": "web"},
                "comments": [
                    {
                        "id": 4,
                        "author_id": 11,
                        "public": True,
                        "html_body": "<p>Hello Dana,</p><p>Per my last email, the voucher is valid until June. Let me know if "
                        "anything else comes up.</p>"
                        "<p>Thanks,<br>Kim</p>",
                        "created_at": "2024-03-12T10:00:00Z",
                    },
                    {"id": 5, "author_id": 11, "public": True, "body": CLEAN, "created_at": "2024-03-13T10:00:00Z"},
                    {
                        "id": 6,
                        "author_id": 12,
                        "public": True,
                        "body": "Automated: your ticket was updated.",
                        "created_at": "2024-03-13T10:01:00Z",
                    },
                ],
            },
        ],
        "users": [
            {"id": 10, "role": "agent", "name": "Jo Rivera"},
            {"id": 11, "role": "admin", "name": "Kim Osei"},
            {"id": 12, "role": "light-agent-bot", "name": "Flow"},
            {"id": 90, "role": "end-user", "name": "Dana Whitfield"},
        ],
        "audits": [
            {
                "id": 7001,
                "ticket_id": 501,
                "events": [
                    {"type": "AgentMacroReference", "macro_id": 33, "macro_title": "Shipped today"},
                    {"type": "Comment", "id": 2},
                ],
            },
        ],
    }


def audit(paths: list[Path], *, fmt: str = "json", workers: int = 1, **kw: Any) -> tuple[dict[str, Any], str, Any]:
    out, err = io.StringIO(), io.StringIO()
    options = AuditOptions(paths=paths, config=kw.pop("config", Config()), output_format=fmt, workers=workers, **kw)
    result = run_audit(options, out, err)
    report = json.loads(out.getvalue()) if fmt == "json" else result.report
    return report, err.getvalue() if fmt == "json" else out.getvalue() + "\0" + err.getvalue(), result


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- Zendesk -----------------------------------------------------------------------------------


def test_zendesk_lints_agents_public_comments_and_counts_the_rest(tmp_path: Path) -> None:
    report, err, result = audit([write_json(tmp_path / "tickets.json", zendesk_export())])
    assert report["replies_linted"] == 3  # comments 2, 4, 5
    assert report["replies_skipped"] == {"customer-message": 1, "internal-note": 1, "not-an-agent": 1}
    assert report["records_unreadable"] == 0 and err == ""
    assert report["by_rule"]["TPL001"]["findings"] == 1
    assert report["by_rule"]["PAG003"]["findings"] == 1  # found inside the HTML body
    assert report["by_rule"]["PAG003"]["name"] == "per-my-last-email"
    assert report["by_category"]["template-leftover"] == {
        "replies": 1,
        "findings": 1,
        "findings_per_1000_replies": 333.33,
    }
    assert report["by_agent"]["Jo Rivera"]["findings"] == 1 and report["by_agent"]["Kim Osei"]["replies"] == 2
    # the macro comes from the AgentMacroReference event of the comment's audit
    assert report["by_macro"]["Shipped today"]["by_rule"] == {"TPL001": 1}
    assert report["replies_without_macro"] == 2
    assert list(report["by_week"]) == ["2024-W10", "2024-W11"]
    assert report["by_channel"]["email"]["replies"] == 3  # "web" is read as email
    assert result.findings_failing == 2


def test_zendesk_macros_from_incremental_ticket_events(tmp_path: Path) -> None:
    export = zendesk_export()
    del export["audits"]
    export["ticket_events"] = [
        {
            "id": 7001,
            "ticket_id": 501,
            "child_events": [
                {"event_type": "Comment", "type": "Comment", "id": 2},
                {
                    "event_type": "AgentMacroReference",
                    "type": "AgentMacroReference",
                    "macro_id": 33,
                    "macro_title": "Shipped today",
                },
            ],
        },
    ]
    report, _, _ = audit([write_json(tmp_path / "tickets.json", export)])
    assert report["by_macro"]["Shipped today"]["replies"] == 1


def test_zendesk_jsonl_with_a_users_file(tmp_path: Path) -> None:
    export = zendesk_export()
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text("".join(json.dumps(t) + "\n" for t in export["tickets"]), encoding="utf-8")
    users = write_json(tmp_path / "users.json", {"users": export["users"]})
    report, _, _ = audit([tickets], users=[users])
    assert report["replies_linted"] == 3 and report["by_rule"]["TPL001"]["findings"] == 1
    # without the users, nobody's role is known: nothing is linted, and the message says why
    report, err, _ = audit([tickets])
    assert report["replies_linted"] == 0 and report["replies_skipped"] == {"author-unknown": 5, "internal-note": 1}
    assert report["records_unreadable"] == 0
    assert "no users side-load" in err and "--users" in err


# -- the other helpdesks -----------------------------------------------------------------------


def test_help_scout_threads(tmp_path: Path) -> None:
    conversation = {
        "id": 88,
        "type": "email",
        "primaryCustomer": {"first": "Dana", "last": "Whitfield"},
        "_embedded": {
            "threads": [
                {"id": 1, "type": "customer", "createdBy": {"type": "customer", "id": 4}, "body": "Help?"},
                {
                    "id": 2,
                    "type": "message",
                    "state": "published",
                    "createdBy": {"type": "user", "id": 7, "first": "Ana", "last": "Reyes"},
                    "body": "<p>Hi {{first_name}},</p><p>It ships today.</p>",
                    "createdAt": "2024-05-02T10:00:00Z",
                },
                {"id": 3, "type": "note", "createdBy": {"type": "user", "id": 7}, "body": "note to self"},
                {"id": 4, "type": "message", "state": "draft", "createdBy": {"type": "user", "id": 7}, "body": "Draft"},
                {"id": 5, "type": "lineitem", "createdBy": {"type": "user", "id": 7}},
            ]
        },
    }
    report, _, _ = audit([write_json(tmp_path / "hs.json", {"_embedded": {"conversations": [conversation]}})])
    assert report["replies_linted"] == 1 and report["by_agent"]["Ana Reyes"]["findings"] == 1
    assert report["replies_skipped"] == {
        "customer-message": 1,
        "internal-note": 1,
        "not-a-reply": 1,
        "not-published": 1,
    }
    assert report["examples"][0]["match"] == "{{first_name}}"  # offsets into the text the HTML reader made


def test_freshdesk_conversations(tmp_path: Path) -> None:
    ticket = {
        "id": 900,
        "source": 7,  # chat
        "conversations": [
            {"id": 1, "incoming": True, "private": False, "body": "<div>Is it shipped?</div>", "user_id": 3},
            {
                "id": 2,
                "incoming": False,
                "private": False,
                "user_id": 44,
                "body": "<div>Per my last email, it shipped.</div>",
                "created_at": "2024-06-03T12:00:00Z",
            },
            {"id": 3, "incoming": False, "private": True, "user_id": 44, "body": "<div>internal</div>"},
            {"id": 4, "incoming": False, "user_id": 44, "body": "<div>no private flag</div>"},
        ],
    }
    agents = write_json(tmp_path / "agents.json", [{"id": 44, "contact": {"name": "Lee Chan"}}])
    report, err, result = audit([write_json(tmp_path / "fd.json", [ticket])], users=[agents])
    assert report["replies_linted"] == 1 and report["by_channel"]["chat"]["findings"] == 1
    assert report["by_agent"]["Lee Chan"]["findings"] == 1
    assert report["replies_skipped"] == {"customer-message": 1, "internal-note": 1}
    assert report["records_unreadable"] == 1 and result.unreadable == 1
    assert "fd.json: record 1, conversation 4: missing field 'private'" in err


def test_intercom_conversation_parts(tmp_path: Path) -> None:
    conversation = {
        "id": "c1",
        "source": {"type": "conversation"},
        "conversation_parts": {
            "conversation_parts": [
                {
                    "id": "p1",
                    "part_type": "comment",
                    "author": {"type": "user", "name": "Dana Whitfield"},
                    "body": "<p>hi</p>",
                },
                {
                    "id": "p2",
                    "part_type": "comment",
                    "author": {"type": "admin", "name": "Ana Reyes"},
                    "body": "<p>Per my last message, Dana, the refund is on its way.</p>",
                    "created_at": 1717236000,
                },
                {
                    "id": "p3",
                    "part_type": "note",
                    "author": {"type": "admin", "name": "Ana Reyes"},
                    "body": "<p>vip</p>",
                },
                {"id": "p4", "part_type": "assignment", "author": {"type": "bot", "name": "Fin"}, "body": None},
                {"id": "p5", "part_type": "comment", "author": {"type": "bot", "name": "Fin"}, "body": "<p>Hello!</p>"},
            ]
        },
    }
    report, _, _ = audit([write_json(tmp_path / "ic.json", {"conversations": [conversation]})])
    assert report["replies_linted"] == 1
    assert report["by_channel"] == {"chat": report["by_agent"]["Ana Reyes"]}
    assert report["replies_skipped"] == {"customer-message": 1, "internal-note": 1, "not-a-reply": 1, "not-an-agent": 1}
    assert list(report["by_week"]) == ["2024-W22"]  # Unix seconds read as a time


# -- generic tables ----------------------------------------------------------------------------

ROWS = [
    {"msg": PLACEHOLDER, "who": "Jo", "sent": "2024-01-08T10:00:00Z", "via": "email", "rid": "r1"},
    {"msg": PER_MY_LAST, "who": "Kim", "sent": "2024-01-16T10:00:00Z", "via": "chat", "rid": "r2"},
    {"msg": CLEAN, "who": "Kim", "sent": "2024-01-16T11:00:00Z", "via": "email", "rid": "r3"},
    {"msg": "", "who": "Kim", "sent": "2024-01-16T12:00:00Z", "via": "email", "rid": "r4"},
]
MAPPING = Columns(text="msg", agent="who", time="sent", channel="via", id="rid")


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_jsonl_and_parquet_give_the_same_report(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_file = write_csv(tmp_path / "replies.csv", ROWS)
    jsonl = tmp_path / "replies.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    parquet = tmp_path / "replies.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), parquet, row_group_size=2)  # two row groups
    assert pq.ParquetFile(parquet).num_row_groups == 2
    reports = [audit([f], columns=MAPPING)[0] for f in (csv_file, jsonl, parquet)]
    for key in ("replies_linted", "replies_skipped", "by_rule", "by_agent", "by_week", "by_channel", "examples"):
        assert reports[0][key] == reports[1][key] == reports[2][key], key
    assert reports[0]["replies_linted"] == 3 and reports[0]["replies_skipped"] == {"empty": 1}
    assert reports[0]["by_channel"]["chat"]["findings"] == 1
    assert {e["reply_id"] for e in reports[0]["examples"]} == {"r1", "r2"}


def test_a_wrong_column_names_the_file_and_the_audit_goes_on(tmp_path: Path, run_cli: Any) -> None:
    good = write_csv(tmp_path / "good.csv", ROWS)
    bad = write_csv(tmp_path / "bad.csv", [{"body": PLACEHOLDER}])
    result = run_cli(
        ["audit", str(bad), str(good), "--format", "json", "--text-column", "msg", "--agent-column", "who", "-j", "1"]
    )
    assert result.code == 2
    assert f"{bad}: no column 'msg'" in result.err and "columns: body" in result.err
    report = json.loads(result.out)
    assert report["replies_linted"] == 3 and report["records_unreadable"] == 1


def test_a_non_utf8_record_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        b"text,agent\n"
        + json.dumps(PLACEHOLDER).replace("\\n", " ").encode()
        + b",Jo\n"
        + "Caf\u00e9 is open,Kim\n".encode("latin-1")
        + b"Per my last email the caf\xc3\xa9 is open,Kim\n"
    )
    report, err, _ = audit([path], columns=Columns(agent="agent"))
    assert report["replies_linted"] == 2 and report["records_unreadable"] == 1
    assert f"{path}: record at line 3: not UTF-8" in err


def test_a_truncated_export_keeps_what_was_read(tmp_path: Path) -> None:
    text = json.dumps(zendesk_export()["tickets"])
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('"id": 502') + 30], encoding="utf-8")  # inside the second ticket
    users = write_json(tmp_path / "users.json", zendesk_export()["users"])
    report, err, _ = audit([cut], users=[users])
    assert report["replies_linted"] == 1 and report["records_unreadable"] == 1
    assert f"{cut}: invalid or truncated JSON" in err
    lines = tmp_path / "cut.jsonl"
    lines.write_text(
        json.dumps({"text": CLEAN}) + "\n" + json.dumps({"text": PLACEHOLDER})[:30] + "\n", encoding="utf-8"
    )
    report, err, _ = audit([lines])
    assert report["replies_linted"] == 1 and f"{lines}:2: truncated JSON" in err


def test_the_cli_says_which_file_is_missing(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli(["audit", str(tmp_path / "nope.json")])
    assert result.code == 2 and "nope.json: no such file" in result.err


# -- streaming ---------------------------------------------------------------------------------


def _peak_reading(path: Path, columns: Columns) -> tuple[int, int]:
    tracemalloc.start()
    count = 0
    agg = Aggregate()
    for item in read([path], fmt="auto", columns=columns):
        if isinstance(item, Reply):
            count += 1
            agg.add(
                item,
                (
                    "email",
                    (("TPL001", "template-leftover", 3, 17, "{{first_name}}", None, 3, 17),),
                    None,
                    None,
                    "en",
                    None,
                ),
            )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


@pytest.mark.parametrize("kind", ["json", "jsonl", "csv"])
def test_memory_does_not_grow_with_the_export(tmp_path: Path, kind: str) -> None:
    """Reading (and counting) ten times as many records takes about the same peak memory."""

    def make(n: int) -> Path:
        rows = [{"text": f"{PLACEHOLDER} #{i}", "agent": f"a{i % 5}"} for i in range(n)]
        path = tmp_path / f"{n}.{kind}"
        if kind == "json":
            write_json(path, rows)
        elif kind == "jsonl":
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        else:
            write_csv(path, rows)
        return path

    small_n, small_peak = _peak_reading(make(2_000), Columns(agent="agent"))
    large_n, large_peak = _peak_reading(make(20_000), Columns(agent="agent"))
    assert (small_n, large_n) == (2_000, 20_000)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)


# -- runners: the same numbers everywhere -------------------------------------------------------


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "inputs"}


def _mixed_export(tmp_path: Path, n: int = 300) -> Path:
    rows = [
        {
            "text": (PLACEHOLDER, PER_MY_LAST, CLEAN)[i % 3].replace("Jo", f"Jo {i}"),
            "agent": f"agent {i % 7}",
            "time": f"2024-02-{1 + i % 28:02d}T10:00:00Z",
        }
        for i in range(n)
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_process_pool_gives_the_same_report_as_one_process(tmp_path: Path) -> None:
    export = _mixed_export(tmp_path)
    columns = Columns(agent="agent", time="time")
    one, _, _ = audit([export], columns=columns, workers=1)
    two, _, _ = audit([export], columns=columns, workers=2)
    assert one["replies_linted"] == 300 and one["findings"] >= 200
    assert _comparable(one) == _comparable(two)


def _cut_export(tmp_path: Path, kind: str) -> tuple[Path, Columns]:
    """An export whose replies span several lines (CSV), with damaged records among them and no
    id column (a reply's id is its file and line or row), so where it is cut could show."""
    rows = [
        {
            "text": (PLACEHOLDER, PER_MY_LAST, CLEAN)[i % 3] + f" #{i}",
            "agent": f"agent {i % 4}",
            "time": f"2024-03-{1 + i % 20:02d}",
        }
        for i in range(90)
    ]
    path = tmp_path / f"cut.{kind}"
    if kind == "jsonl":
        lines = [json.dumps(r) for r in rows]
        lines[17] = lines[17][:25]  # truncated
        lines[40] = ""  # blank
        lines[41] = b"\xff".decode("latin-1") + lines[41]  # not UTF-8 once written as Latin-1 below
        path.write_bytes(
            b"".join((line.encode("latin-1") if k == 41 else line.encode()) + b"\n" for k, line in enumerate(lines))
        )
    elif kind == "csv":
        write_csv(path, rows)
        data = path.read_bytes().replace(b"#17", b'#17",extra,"field', 1).replace(b"#41", b"\xff#41", 1)
        path.write_bytes(data)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=25)
    return path, Columns(agent="agent", time="time")


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet"])
def test_the_report_does_not_depend_on_where_the_export_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Workers count their own tasks and the counts are merged: cut into one task or into dozens,
    on one process or two, the report (numbers, examples, messages) is the same."""
    from tonecheck._audit import readers

    export, columns = _cut_export(tmp_path, kind)
    whole, whole_err, _ = audit([export], columns=columns)
    assert len(list(readers.Plan([export], fmt="auto", columns=columns).tasks())) <= 4
    monkeypatch.setattr(readers, "CHUNK_BYTES", 300)
    monkeypatch.setattr(readers, "CHUNK_CHARS", 300)
    monkeypatch.setattr(readers, "PARQUET_ROWS", 4)
    assert len(list(readers.Plan([export], fmt="auto", columns=columns).tasks())) >= 20
    for workers in (1, 2):
        cut, cut_err, _ = audit([export], columns=columns, workers=workers)
        assert _comparable(cut) == _comparable(whole) and cut_err == whole_err
    assert whole["replies_linted"] >= 85 and whole["examples"]
    if kind != "parquet":
        assert whole["records_unreadable"] == 2 and len(whole_err.splitlines()) == 2
        assert whole["examples"][0]["reply_id"].startswith("cut.")  # file and line: where it is cut cannot move it


def _double(state: int, item: int) -> int:
    return state * item


def test_the_pool_reads_the_stream_only_as_fast_as_workers_need_it() -> None:
    from tonecheck._parallel import iter_pool

    pulled: list[int] = []

    def stream():
        for i in range(1_000):
            pulled.append(i)
            yield i

    results = iter_pool(_double, stream(), setup=functools.partial(int, 2), jobs=2, window=4)
    assert next(results) == 0
    assert len(pulled) <= 5  # the window, not the stream
    assert list(results) == [2 * i for i in range(1, 1_000)]


def test_a_dask_local_cluster_gives_the_same_report(tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    export = _mixed_export(tmp_path)
    columns = Columns(agent="agent", time="time")
    one, _, _ = audit([export], columns=columns, workers=1)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        on_dask, _, _ = audit([export], columns=columns, scheduler=cluster.scheduler_address)
    assert _comparable(one) == _comparable(on_dask)


# -- outputs -----------------------------------------------------------------------------------


def test_json_report_matches_its_schema(tmp_path: Path) -> None:
    import jsonschema

    report, _, _ = audit([write_json(tmp_path / "t.json", zendesk_export())])
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    for key, kind in (
        ("replies_linted", int),
        ("replies_skipped", dict),
        ("by_category", dict),
        ("by_rule", dict),
        ("by_agent", dict),
        ("by_week", dict),
        ("by_macro", dict),
    ):
        assert isinstance(report[key], kind)
    broken = dict(report, replies_linted="3")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text(encoding="utf-8")))


# markup, a formula, a terminal escape, a NUL, a bell, a right-to-left override and an isolate
HOSTILE = "<script>alert(1)</script></svg><img src=x onerror=alert(2)>\"'&\x1b[31m\x00\x07\u202eevil\u2066x"


def hostile_export(tmp_path: Path) -> tuple[Path, Columns]:
    rows = [
        {
            "id": "=cmd|' /C calc'!A0",
            "text": f"Hi {{{{first_name}}}},\n\n{HOSTILE}\n\nPer my last email, it left \ud800 today. Let me know if it is "
            "late.\n\nBest,\nJo",
            "agent": HOSTILE,
            "macro": "@SUM(1+1)*cmd|' /C calc'!A0",
        },
        {"id": "+r2\u202e", "text": "Per my last email, it is done.", "agent": "-2+3\ud800", "macro": "\tmacro"},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # \ud800 as a JSON escape
    return path, Columns(agent="agent", id="id", macro="macro")


def test_hostile_text_is_shown_in_every_report_never_obeyed(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    export, columns = hostile_export(tmp_path)
    unsafe = ("\x1b", "\x00", "\x07", "\u202e", "\u2066")

    _, html, _ = audit([export], columns=columns, fmt="html")
    page = html.split("\0")[0]
    page.encode("utf-8")  # a lone surrogate would not encode
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            tags.append(tag)

    Tags().feed(page)
    assert "script" not in tags and "img" not in tags and tags.count("svg") >= 2
    assert not any(c in page for c in unsafe)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#x27;&amp;" in page
    )
    assert "\u241b[31m\u2400\u2407[U+202E]evil[U+2066]x" in page  # ␛[31m␀␇, the overrides by name

    report, _, _ = audit([export], columns=columns)
    text = render_json(report)
    text.encode("utf-8")
    assert not any(c in text for c in unsafe)
    assert set(json.loads(text)["by_agent"]) == {HOSTILE, "-2+3\ud800"}  # the data kept exactly

    _, out, _ = audit([export], columns=columns, fmt="csv")
    table = out.split("\0")[0]
    table.encode("utf-8")
    assert not any(c in table for c in unsafe)
    rows = list(csv.reader(io.StringIO(table)))[1:]
    assert len(rows) == 3
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert {row[0] for row in rows} == {"'=cmd|' /C calc'!A0", "'+r2[U+202E]"}
    assert {row[1] for row in rows} == {
        "<script>alert(1)</script></svg><img src=x onerror=alert(2)>\"'&\u241b[31m\u2400\u2407[U+202E]evil[U+2066]x",
        "'-2+3\ufffd",
    }
    assert {row[4] for row in rows} == {"'@SUM(1+1)*cmd|' /C calc'!A0", "'\tmacro"}


def test_read_errors_print_no_terminal_escapes(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_text(json.dumps({"body\x1b]0;owned\x07": "Hello"}) + "\n", encoding="utf-8")
    report, err, _ = audit([path], columns=Columns(text="text"))
    assert report["records_unreadable"] == 1 and "no column 'text'" in err
    assert "\x1b" not in err and "\x07" not in err and "body\u241b]0;owned\u2407" in err


def test_csv_has_one_row_per_finding(tmp_path: Path) -> None:
    out = io.StringIO()
    options = AuditOptions(
        paths=[write_json(tmp_path / "t.json", zendesk_export())], config=Config(), output_format="csv", workers=1
    )
    run_audit(options, out, io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [
        (r["reply_id"], r["agent"], r["time"], r["channel"], r["code"], r["category"], r["match"]) for r in rows
    ] == [
        ("501/2", "Jo Rivera", "2024-03-04T09:00:00Z", "email", "TPL001", "template-leftover", "{{first_name}}"),
        ("502/4", "Kim Osei", "2024-03-12T10:00:00Z", "email", "PAG003", "passive-aggressive", "Per my last email"),
    ]


def test_redact_masks_contacts_cards_and_customers_names() -> None:
    text = "Hi Dana, write to dana.w@example.org or call +44 20 7946 0958; card 4111 1111 1111 1111. Order 5521."
    masked = redact(text, ["Dana Whitfield"])
    assert masked == "Hi [name], write to [email] or call [phone]; card [card number]. Order 5521."
    assert redact("Good morning Priya Natarajan, thanks!") == "Good morning [name], thanks!"
    assert redact("Hi there, thanks!") == "Hi there, thanks!"
    assert redact("@dana_w we have sent it, write to help@shop.example") == "[handle] we have sent it, write to [email]"


def test_redacted_examples_in_the_report(tmp_path: Path) -> None:
    rows = [
        {
            "text": "Hi Dana,\n\nPer my last email, Dana, call 555-201-7788 or mail dana@example.org. Let me know "
            "if anything else comes up.\n\nBest,\nJo"
        }
    ]
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    plain, _, _ = audit([path])
    masked, _, _ = audit([path], redact=True)
    assert "dana@example.org" in plain["examples"][0]["after"]
    assert plain["examples"][0]["reply_id"] == "r.jsonl:1"  # no id column: the file and the line
    example = masked["examples"][0]
    assert masked["redacted"] is True and example["match"] == "Per my last email"
    assert "dana@example.org" not in json.dumps(example) and "555-201-7788" not in json.dumps(example)
    assert example["before"].startswith("Hi [name]")


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    _, page, _ = audit([write_json(tmp_path / "t.json", zendesk_export())], fmt="html")
    html = page.split("\0")[0]
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 3
    lowered = html.lower()
    for external in ("<script", "<link", "<img", "src=", "@import", "url(", "http://", "https://"):
        assert external not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', ""), external
    assert "<mark>{{first_name}}</mark>" in html and "Shipped today" in html and "internal note" in html


def test_progress_goes_to_a_terminal_only(tmp_path: Path, run_cli: Any) -> None:
    export = _mixed_export(tmp_path, 30)
    err = io.StringIO()
    run_audit(
        AuditOptions(paths=[export], config=Config(), output_format="json", workers=1, progress=True),
        io.StringIO(),
        err,
    )
    assert "replies" in err.getvalue() and "30" in err.getvalue()
    result = run_cli(["audit", str(export), "--format", "json", "-j", "1"])  # standard error is no terminal here
    assert result.err == "" and json.loads(result.out)["replies_linted"] == 30


# -- the saved-reply library -------------------------------------------------------------------


def test_library_section(tmp_path: Path) -> None:
    macros = write_json(
        tmp_path / "macros.json",
        {
            "macros": [
                {"title": "Shipped today", "actions": [{"field": "comment_value", "value": PLACEHOLDER}]},
                {
                    "title": "Shipped today (copy)",
                    "actions": [{"field": "comment_value", "value": PLACEHOLDER.replace("today", "today!")}],
                },
                {
                    "title": "Voucher",
                    "actions": [
                        {
                            "field": "comment_value",
                            "value": "Hello %{ticket.name.first},\n\nPer my last email, the voucher "
                            "is valid until June. Let me know if anything else comes up.\n\nThanks,\nJo",
                        }
                    ],
                },
            ]
        },
    )
    report, _, _ = audit([write_json(tmp_path / "t.json", zendesk_export())], macros=[macros])
    lib = report["library"]
    assert lib["macros"] == 3 and lib["macros_with_findings"] == 1  # placeholders are fine in saved replies
    voucher = next(m for m in lib["by_macro"] if m["macro"] == "Voucher")
    assert voucher["by_rule"] == {"PAG003": 1}
    shipped = next(m for m in lib["by_macro"] if m["macro"] == "Shipped today")
    assert shipped["used_in_replies"] == 1 and shipped["findings_in_replies"] == 1
    assert lib["most_findings_in_replies"][0]["macro"] == "Shipped today"
    assert [(p["a"], p["b"]) for p in lib["near_duplicates"]] == [("Shipped today", "Shipped today (copy)")]
    assert lib["placeholders"]["liquid-output"] == {"{{first_name}}": 2}
    assert lib["placeholders"]["osticket"] == {"%{ticket.name.first}": 1}
    assert lib["greetings"]["macros_with_greeting"] == 3
    assert sum(lib["greetings"]["forms"].values()) == 3 and len(lib["greetings"]["forms"]) == 2  # "hi …," / "hello …,"


def test_skipped_items_are_never_linted(tmp_path: Path) -> None:
    items = list(read([write_json(tmp_path / "t.json", zendesk_export())], fmt="auto", columns=Columns()))
    replies = [i for i in items if isinstance(i, Reply)]
    assert [r.id for r in replies] == ["501/2", "502/4", "502/5"]
    assert sum(isinstance(i, Skipped) for i in items) == 3 and not any(isinstance(i, Unreadable) for i in items)
    assert all("courier portal" not in r.text and "Where is my kettle" not in r.text for r in replies)


def test_the_command_on_a_pool_and_on_its_own_dask_cluster(tmp_path: Path, run_subprocess: Any) -> None:
    """Real processes: `python -m tonecheck audit` with two workers and with --dask (whose worker
    processes import the entry point again: it is guarded) gives the one-process numbers."""
    export = _mixed_export(tmp_path, 120)
    one, _, _ = audit([export], columns=Columns(agent="agent", time="time"), workers=1)
    for extra in (["-j", "2"], ["--dask", "-j", "2"]):
        out = tmp_path / "report.json"
        result = run_subprocess(
            ["audit", str(export), "--agent-column", "agent", "--time-column", "time", "-o", str(out), *extra]
        )
        assert result.code == 1, result  # findings at warning or above, as `check`
        assert "Linted 120 replies" in result.err
        assert _comparable(json.loads(out.read_text(encoding="utf-8"))) == _comparable(one), extra


def test_files_that_are_not_what_they_claim(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": PLACEHOLDER}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    lines = tmp_path / "lines.json"  # JSONL under a .json name
    lines.write_text(json.dumps({"text": CLEAN}) + "\n" + json.dumps({"text": CLEAN}) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'[{"text": "Caf\xe9 au lait is back on the menu."}]')
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    report, err, result = audit([empty, lines, latin, other, good])
    assert report["replies_linted"] == 1 and result.unreadable == 4
    assert f"{empty}: not JSON" in err
    assert f"{lines}: " in err and f"{latin}: " in err
    assert f"{other}: unknown file type .txt" in err


def test_a_table_with_a_role_column_is_still_a_table(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": 1, "role": "agent", "body": PLACEHOLDER}) + "\n", encoding="utf-8")
    report, _, _ = audit([path], columns=Columns(text="body"))
    assert report["replies_linted"] == 1 and report["by_rule"]["TPL001"]["findings"] == 1


def test_without_the_audit_extra_the_message_says_what_to_install(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ijson", None)  # as if it were not installed
    result = run_cli(["audit", str(write_json(tmp_path / "t.json", zendesk_export())), "-j", "1"])
    assert result.code == 2
    assert 'needs ijson, part of the audit extra: pip install "tonecheck[audit]"' in result.err


# -- languages ---------------------------------------------------------------------------------

RUSSIAN = (
    "Здравствуйте, Дана!\n\nК сожалению, мы не можем вернуть деньги за этот заказ: таковы правила магазина.\n\n"
    "С уважением,\nАнна"
)
GERMAN = (
    "Hallo Dana,\n\nvielen Dank für Ihre Nachricht. Der Gutschein ist bis Juni gültig, und wir haben ihn "
    "heute noch einmal an Ihre Adresse geschickt.\n\nViele Grüße\nJo"
)


@pytest.mark.parametrize("workers", [1, 2])
def test_each_reply_is_audited_in_its_language(tmp_path: Path, workers: int) -> None:
    rows = [
        {"msg": PER_MY_LAST, "who": "Kim", "sent": "2024-01-16T10:00:00Z", "via": "email", "rid": "r1"},
        {"msg": RUSSIAN, "who": "Anna", "sent": "2024-01-16T11:00:00Z", "via": "email", "rid": "r2"},
        {"msg": GERMAN, "who": "Jo", "sent": "2024-01-16T12:00:00Z", "via": "email", "rid": "r3"},
    ]
    config = Config(preview=True)  # the Russian rules are preview rules
    report, _, _ = audit([write_csv(tmp_path / "replies.csv", rows)], columns=MAPPING, config=config, workers=workers)
    assert report["replies_linted"] == 2
    assert set(report["by_language"]) == {"en", "ru"}
    assert report["by_language"]["ru"]["findings"] >= 1  # a Russian rule ran on the Russian reply
    assert report["by_language"]["en"] == report["by_agent"]["Kim"]
    # a reply in a language without rules is not linted, and the report says why
    assert report["replies_skipped"] == {"not checked: no rules for de": 1}
    assert "Jo" not in report["by_agent"]
