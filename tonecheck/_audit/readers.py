"""Readers: helpdesk conversation exports and generic tables, streamed record by record.

Every reader is a generator of `Item`s (a reply to lint, a record skipped with its reason, a
record that could not be read) that holds at most one record (one ticket, one conversation, one
CSV line, one Parquet row group) in memory at a time:

- JSON arrays are parsed incrementally (ijson), JSONL and CSV line by line, Parquet by row group.
- Zendesk tickets with `comments` (a JSON object with `tickets` and the `users`/`audits`
  side-loads, a JSON array, or JSONL, one ticket a line): public comments by users whose role is
  agent or admin; macros from `AgentMacroReference` audit events.
- Help Scout conversations (`_embedded.threads` / `threads`): threads of type `message` created by
  a user and published.
- Freshdesk conversations (a ticket with `conversations`, or the conversations themselves):
  `incoming: false` and `private: false`.
- Intercom conversations (`conversation_parts`): parts of type `comment` by an admin.
- Anything else: a table whose columns are named by `Columns` (CSV, JSONL, Parquet).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._exceptions import InputError
from .._inputs.html import _looks_like_html
from .records import Item, Note, Reply, Skipped, Unreadable, channel_of, iso_time

INPUT_FORMATS = ("auto", "zendesk", "helpscout", "freshdesk", "intercom", "table")


@dataclasses.dataclass(frozen=True)
class Columns:
    """Column mapping for generic tables (CSV, JSONL, Parquet)."""

    text: str = "text"
    agent: str | None = None
    time: str | None = None
    channel: str | None = None
    id: str | None = None
    macro: str | None = None

    def given(self) -> list[str]:
        return [c for c in (self.text, self.agent, self.time, self.channel, self.id, self.macro) if c]


@dataclasses.dataclass
class People:
    """Who wrote what: roles and names of helpdesk users (id → (role, name)), and macros used
    (Zendesk comment id or audit id → macro title). Grows with users and macro uses, never with
    replies that have no macro."""

    users: dict[str, tuple[str, str | None]] = dataclasses.field(default_factory=dict)
    macro_by_comment: dict[str, str] = dataclasses.field(default_factory=dict)
    macro_by_audit: dict[str, str] = dataclasses.field(default_factory=dict)

    def add_user(self, user: Mapping[str, Any]) -> None:
        uid = user.get("id")
        if uid is None:
            return
        name = user.get("name")
        if not isinstance(name, str):
            contact = user.get("contact")
            name = contact.get("name") if isinstance(contact, dict) else None
        if not isinstance(name, str):
            first, last = user.get("first") or user.get("firstName"), user.get("last") or user.get("lastName")
            name = " ".join(p for p in (first, last) if isinstance(p, str)) or None
        role = user.get("role")
        if not isinstance(role, str):  # Freshdesk agents and Help Scout users carry no role: agents
            role = "agent" if ("contact" in user or "first" in user or "firstName" in user) else ""
        self.users[str(uid)] = (role, name)

    def add_audit(self, audit: Mapping[str, Any]) -> None:
        """A ticket audit (`events`) or an incremental ticket event (`child_events`)."""
        events = audit.get("events", audit.get("child_events"))
        if not isinstance(events, list):
            return
        macro = next(
            (
                e.get("macro_title") or str(e.get("macro_id"))
                for e in events
                if isinstance(e, dict) and e.get("type") == "AgentMacroReference"
            ),
            None,
        )
        if macro is None:
            return
        if audit.get("id") is not None:
            self.macro_by_audit[str(audit["id"])] = macro
        for e in events:
            if isinstance(e, dict) and e.get("type") == "Comment" and e.get("id") is not None:
                self.macro_by_comment[str(e["id"])] = macro


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(
            f'reading this export needs {module}, part of the audit extra: pip install "tonecheck[audit]"'
        ) from None


# --------------------------------------------------------------------------------------------
# JSON and JSONL

_CONTAINERS = ("tickets", "conversations", "data", "items", "records", "results", "_embedded.conversations")


def _json_kind(path: Path) -> tuple[str, str | None]:
    """("array", None) for a top-level array, ("object", prefix) with the ijson prefix of the
    records' container, ("object", None) when there is none, or ("broken", message) for a file
    that is not JSON before either is known."""
    ijson = _need("ijson")
    try:
        with path.open("rb") as f:
            for prefix, event, _ in ijson.parse(f):
                if prefix == "" and event == "start_array":
                    return "array", None
                if event == "start_array" and prefix in _CONTAINERS:
                    return "object", prefix
                if prefix == "" and event == "end_map":
                    break
    except Exception as exc:
        if not _is_json_error(exc):
            raise
        return "broken", _first_line(exc)
    return "object", None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _stream_json(path: Path, prefixes: Sequence[str], *, backend: str | None = None) -> Iterator[tuple[str, Any]]:
    """(prefix, element) for every element of the arrays at these ijson prefixes, in file order."""
    ijson = _need("ijson")
    parse = ijson.get_backend(backend).parse if backend else ijson.parse
    wanted = {f"{p}.item" if p else "item" for p in prefixes}
    with path.open("rb") as f:
        builder: Any = None
        where = ""
        for prefix, event, value in parse(f, use_float=True):
            if builder is None:
                if prefix in wanted and event in ("start_map", "start_array"):
                    builder, where = ijson.ObjectBuilder(), prefix
                    builder.event(event, value)
                    depth = 1
                elif prefix in wanted and event not in ("end_map", "end_array"):
                    yield prefix, value
                continue
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    yield where, builder.value
                    builder = None


def _shape(record: Any, text_column: str) -> str:
    if not isinstance(record, dict):
        return "table"
    if "conversation_parts" in record:
        return "intercom"
    if "threads" in record or (isinstance(record.get("_embedded"), dict) and "threads" in record["_embedded"]):
        return "helpscout"
    if "conversations" in record or ("incoming" in record and "private" in record):
        return "freshdesk"
    if "comments" in record or ("author_id" in record and "public" in record):
        return "zendesk"
    if "role" in record and "id" in record and text_column not in record:
        return "user"
    return "table"


class _Source:
    """One input file and the reading state it shares with the other files."""

    def __init__(self, path: Path, fmt: str, columns: Columns, people: People, *, own_copy: bool = False) -> None:
        self.path = path
        self.fmt = fmt
        self.columns = columns
        self._people = people
        self._copy = own_copy  # copy the people before first use (a worker's task)
        self.warned_users = False

    @property
    def people(self) -> People:
        if self._copy:
            shared = self._people
            self._people = People(dict(shared.users), dict(shared.macro_by_comment), dict(shared.macro_by_audit))
            self._copy = False
        return self._people


def read(paths: Sequence[Path], *, fmt: str, columns: Columns, users: Sequence[Path] = ()) -> Iterator[Item]:
    """Every item of every file, in order; `users` files add helpdesk users (roles, names). The
    tasks of `Plan`, read one after another here."""
    plan = Plan(paths, fmt=fmt, columns=columns, users=users)
    yield from plan.load_users()
    settings = plan.settings
    for task in plan.tasks():
        yield from task_items(task, settings)


def _read_users(path: Path, people: People) -> Iterator[Item]:
    try:
        for record in _records_any(path, ("users", "agents", "data", "items")):
            if isinstance(record, Unreadable):
                yield record
            elif isinstance(record[1], dict):
                people.add_user(record[1])
    except OSError as exc:
        yield Unreadable(f"{path}: cannot read: {exc.strerror or exc}")


def _records_any(path: Path, containers: Sequence[str]) -> Iterator[tuple[int, Any] | Unreadable]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_records(path)
        return
    kind, problem_text = _json_kind(path)
    if kind == "broken":
        yield Unreadable(f"{path}: not JSON: {problem_text}")
        return
    prefixes = [""] if kind == "array" else list(containers)
    done = 0
    try:
        for n, (_, value) in enumerate(_stream_json(path, prefixes), 1):
            done = n
            yield n, value
    except Exception as exc:  # ijson's errors: truncated or invalid JSON
        if not _is_json_error(exc):
            raise
        problem = exc
        # the fast parser reports damage up to a buffer early; the pure-Python one reads every
        # record before it (slowly, but only for a damaged file)
        try:
            for n, (_, value) in enumerate(_stream_json(path, prefixes, backend="python"), 1):
                if n > done:
                    done = n
                    yield n, value
        except Exception as again:
            if not _is_json_error(again):
                raise
            problem = again
        yield Unreadable(f"{path}: invalid or truncated JSON after record {done}: {_first_line(problem)}")


def _is_json_error(exc: Exception) -> bool:
    ijson = sys.modules.get("ijson")
    if isinstance(exc, UnicodeDecodeError):
        return True
    return ijson is not None and isinstance(exc, (ijson.JSONError, ijson.IncompleteJSONError))


def _jsonl_records(path: Path) -> Iterator[tuple[int, Any] | Unreadable]:
    with path.open("rb") as f:
        yield from _jsonl_lines(path, f, 1)


def _jsonl_lines(path: Path, lines: Iterable[bytes], first: int) -> Iterator[tuple[int, Any] | Unreadable]:
    """The records of JSONL lines (the first numbered `first`), or what is wrong with each."""
    for n, raw in enumerate(lines, first):
        if not raw.strip():
            continue
        try:
            yield n, json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Unreadable(f"{path}:{n}: not UTF-8 (byte {exc.start + 1} of the line)")
        except json.JSONDecodeError as exc:
            what = "truncated" if exc.pos >= len(raw.rstrip()) - 1 else "invalid"
            yield Unreadable(f"{path}:{n}: {what} JSON: {exc.msg} at column {exc.colno}")


def _read_file(source: _Source) -> Iterator[Item]:
    path = source.path
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix == ".tsv":
        yield from _read_csv(source, "\t" if suffix == ".tsv" else ",")
        return
    if suffix == ".parquet":
        yield from _read_parquet(source)
        return
    if suffix in (".jsonl", ".ndjson"):
        records: Iterator[tuple[int, Any] | Unreadable] = _jsonl_records(path)
        label = "line"
    elif suffix == ".json":
        kind, container = _json_kind(path)
        if kind == "broken":
            yield Unreadable(f"{path}: not JSON: {container}")
            return
        if kind == "object" and source.fmt in ("auto", "zendesk"):
            _side_loads(source)
        if kind == "object" and container is None:
            yield Unreadable(
                f"{path}: no records found: expected a JSON array or an object with one of "
                f"{', '.join(_CONTAINERS)} (one JSON object per line is JSONL: name the file .jsonl)"
            )
            return
        records = _records_any(path, [container] if container else [""])
        label = "record"
    else:
        yield Unreadable(f"{path}: unknown file type {suffix or '(none)'}: expected .json, .jsonl, .csv or .parquet")
        return
    yield from _records_items(source, records, label)


def _records_items(source: _Source, records: Iterable[tuple[int, Any] | Unreadable], label: str) -> Iterator[Item]:
    path = source.path
    for record in records:
        if isinstance(record, Unreadable):
            yield record
            continue
        n, value = record
        where = f"{path}: {label} {n}" if label == "record" else f"{path}:{n}"
        shape = source.fmt if source.fmt != "auto" else _shape(value, source.columns.text)
        if shape == "user":
            source.people.add_user(value)
            continue
        if not isinstance(value, dict):
            yield Unreadable(f"{where}: expected a JSON object, found {type(value).__name__}")
            continue
        yield from _record_items(source, shape, value, where, n)


def _side_loads(source: _Source) -> None:
    """A first pass over a JSON object for its `users` and `audits` side-loads (they may come after
    the tickets)."""
    try:
        for prefix, value in _stream_json(source.path, ["users", "audits", "ticket_events"]):
            if isinstance(value, dict):
                (source.people.add_user if prefix == "users.item" else source.people.add_audit)(value)
    except Exception as exc:
        if not _is_json_error(exc):
            raise
        # the main pass reports it, with the records read before the damage


def _record_items(source: _Source, shape: str, value: dict[str, Any], where: str, number: int) -> Iterator[Item]:
    try:
        if shape == "zendesk":
            yield from _zendesk(source, value, where)
        elif shape == "helpscout":
            yield from _helpscout(value, where)
        elif shape == "freshdesk":
            yield from _freshdesk(source, value, where)
        elif shape == "intercom":
            yield from _intercom(value, where)
        else:
            yield _table_row(source, value, where, number)
    except _Missing as exc:
        yield Unreadable(f"{where}{exc.where}: missing field {exc.field!r}")


class _Missing(Exception):
    def __init__(self, field: str, where: str = "") -> None:
        self.field = field
        self.where = where


def _get(record: Mapping[str, Any], key: str, where: str = "") -> Any:
    if key not in record or record[key] is None:
        raise _Missing(key, where)
    return record[key]


def _text(body: Any) -> tuple[str, bool] | None:
    if not isinstance(body, str) or not body.strip():
        return None
    return body, _looks_like_html(body)


def _sid(value: Any) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------------------------
# Helpdesks


def _zendesk(source: _Source, ticket: dict[str, Any], where: str) -> Iterator[Item]:
    people = source.people
    if "comments" not in ticket:  # a comment on its own
        comments, ticket_id, via = [ticket], ticket.get("ticket_id"), None
    else:
        comments, ticket_id = _get(ticket, "comments"), ticket.get("id")
        via = ticket.get("via", {}).get("channel") if isinstance(ticket.get("via"), dict) else None
        for audit in ticket.get("audits") or ():
            if isinstance(audit, dict):
                people.add_audit(audit)
    requester = people.users.get(str(ticket.get("requester_id")))
    names = (requester[1],) if requester and requester[1] else ()
    if not people.users and not source.warned_users:
        source.warned_users = True
        yield Note(
            f"{source.path}: no users side-load: authors' roles are unknown, so no comment can be "
            "attributed to an agent (give --users FILE with the export's users)"
        )
    for k, comment in enumerate(comments if isinstance(comments, list) else (), 1):
        here = f", comment {comment.get('id', k)}" if isinstance(comment, dict) else f", comment {k}"
        if not isinstance(comment, dict):
            yield Unreadable(f"{where}{here}: expected an object")
            continue
        try:
            public = _get(comment, "public", here)
            author = str(_get(comment, "author_id", here))
        except _Missing as exc:
            yield Unreadable(f"{where}{exc.where}: missing field {exc.field!r}")
            continue
        if not public:
            yield Skipped("internal-note")
            continue
        user = people.users.get(author)
        if user is None:
            yield Skipped("author-unknown")
            continue
        if user[0] == "end-user":
            yield Skipped("customer-message")
            continue
        if user[0] not in ("agent", "admin"):
            yield Skipped("not-an-agent")
            continue
        body = _text(comment.get("body"))
        if body is None and isinstance(comment.get("html_body"), str):
            body = (comment["html_body"], True) if comment["html_body"].strip() else None
        if body is None:
            if not any(k in comment for k in ("body", "html_body", "plain_body")):
                yield Unreadable(f"{where}{here}: missing field 'body'")
            else:
                yield Skipped("empty")
            continue
        cvia = comment.get("via", {}).get("channel") if isinstance(comment.get("via"), dict) else None
        macro = people.macro_by_comment.get(str(comment.get("id"))) or people.macro_by_audit.get(
            str(comment.get("audit_id"))
        )
        yield Reply(
            id=f"{ticket_id}/{comment.get('id', k)}" if ticket_id is not None else str(comment.get("id", k)),
            text=body[0],
            is_html=body[1],
            agent=user[1] or author,
            time=iso_time(comment.get("created_at")),
            channel=channel_of(cvia) or channel_of(via),
            macro=macro,
            customer_names=names,
        )


def _person_name(person: Any) -> str | None:
    if not isinstance(person, dict):
        return None
    if isinstance(person.get("name"), str):
        return str(person["name"])
    parts = [person.get(k) for k in ("first", "last", "firstName", "lastName")]
    return " ".join(p for p in parts if isinstance(p, str) and p) or None


def _helpscout(conversation: dict[str, Any], where: str) -> Iterator[Item]:
    embedded = conversation.get("_embedded")
    threads = embedded.get("threads") if isinstance(embedded, dict) else conversation.get("threads")
    channel = channel_of(conversation.get("type"))
    customer = _person_name(conversation.get("primaryCustomer") or conversation.get("customer"))
    for k, thread in enumerate(threads if isinstance(threads, list) else (), 1):
        here = f", thread {thread.get('id', k)}" if isinstance(thread, dict) else f", thread {k}"
        if not isinstance(thread, dict):
            yield Unreadable(f"{where}{here}: expected an object")
            continue
        kind = thread.get("type")
        if kind == "note":
            yield Skipped("internal-note")
            continue
        if kind == "customer":
            yield Skipped("customer-message")
            continue
        if kind != "message":
            yield Skipped("not-a-reply")
            continue
        author = thread.get("createdBy")
        if not isinstance(author, dict):
            yield Unreadable(f"{where}{here}: missing field 'createdBy'")
            continue
        if author.get("type") != "user":
            yield Skipped("not-an-agent")
            continue
        if thread.get("state", "published") != "published":
            yield Skipped("not-published")
            continue
        if "body" not in thread:
            yield Unreadable(f"{where}{here}: missing field 'body'")
            continue
        body = _text(thread.get("body"))
        if body is None:
            yield Skipped("empty")
            continue
        yield Reply(
            id=f"{conversation.get('id')}/{thread.get('id', k)}",
            text=body[0],
            is_html=body[1],
            agent=_person_name(author) or _sid(author.get("id")),
            time=iso_time(thread.get("createdAt")),
            channel=channel,
            customer_names=(customer,) if customer else (),
        )


def _freshdesk(source: _Source, record: dict[str, Any], where: str) -> Iterator[Item]:
    if "conversations" in record:
        parts, ticket_id, channel = record["conversations"], record.get("id"), channel_of(record.get("source"))
        requester = _person_name(record.get("requester"))
    else:
        parts, ticket_id, channel, requester = [record], record.get("ticket_id"), None, None
    for k, part in enumerate(parts if isinstance(parts, list) else (), 1):
        here = f", conversation {part.get('id', k)}" if isinstance(part, dict) else f", conversation {k}"
        if not isinstance(part, dict):
            yield Unreadable(f"{where}{here}: expected an object")
            continue
        try:
            incoming = _get(part, "incoming", here)
            private = _get(part, "private", here)
        except _Missing as exc:
            yield Unreadable(f"{where}{exc.where}: missing field {exc.field!r}")
            continue
        if private:
            yield Skipped("internal-note")
            continue
        if incoming:
            yield Skipped("customer-message")
            continue
        body = _text(part.get("body"))
        if body is None and isinstance(part.get("body_text"), str) and part["body_text"].strip():
            body = (part["body_text"], False)
        if body is None:
            if "body" not in part and "body_text" not in part:
                yield Unreadable(f"{where}{here}: missing field 'body'")
            else:
                yield Skipped("empty")
            continue
        user = _sid(part.get("user_id"))
        known = source.people.users.get(user or "")
        yield Reply(
            id=f"{ticket_id}/{part.get('id', k)}",
            text=body[0],
            is_html=body[1],
            agent=(known[1] if known and known[1] else user),
            time=iso_time(part.get("created_at")),
            channel=channel,
            customer_names=(requester,) if requester else (),
        )


def _intercom(conversation: dict[str, Any], where: str) -> Iterator[Item]:
    holder = conversation.get("conversation_parts")
    parts = holder.get("conversation_parts") if isinstance(holder, dict) else holder
    src = conversation.get("source")
    channel = channel_of(src.get("type")) if isinstance(src, dict) else None
    channel = channel or "chat"
    customers: list[str] = []
    for k, part in enumerate(parts if isinstance(parts, list) else (), 1):
        here = f", part {part.get('id', k)}" if isinstance(part, dict) else f", part {k}"
        if not isinstance(part, dict):
            yield Unreadable(f"{where}{here}: expected an object")
            continue
        author = part.get("author")
        kind = part.get("part_type")
        if kind is None or not isinstance(author, dict):
            yield Unreadable(f"{where}{here}: missing field {'part_type' if kind is None else 'author'!r}")
            continue
        if author.get("type") in ("user", "lead", "contact"):
            name = author.get("name")
            if isinstance(name, str) and name and name not in customers:
                customers.append(name)
        if kind == "note":
            yield Skipped("internal-note")
            continue
        if kind != "comment":
            yield Skipped("not-a-reply")
            continue
        if author.get("type") != "admin":
            yield Skipped("customer-message" if author.get("type") in ("user", "lead", "contact") else "not-an-agent")
            continue
        body = _text(part.get("body"))
        if body is None:
            yield Skipped("empty")
            continue
        yield Reply(
            id=f"{conversation.get('id')}/{part.get('id', k)}",
            text=body[0],
            is_html=body[1],
            agent=author.get("name") or _sid(author.get("id")),
            time=iso_time(part.get("created_at")),
            channel=channel,
            customer_names=tuple(customers),
        )


# --------------------------------------------------------------------------------------------
# Generic tables


def _table_row(source: _Source, row: Mapping[str, Any], where: str, number: int) -> Item:
    """One table row; without an id column the reply id is the file's name and the record's line
    (CSV, JSONL) or number (JSON, Parquet)."""
    cols = source.columns
    if cols.text not in row:
        fields = ", ".join(list(row)[:12])
        return Unreadable(f"{where}: no column {cols.text!r} (--text-column); this record has: {fields}")
    body = _text(row[cols.text])
    if body is None:
        return Skipped("empty")

    def value(col: str | None) -> Any:
        return row.get(col) if col else None

    rid = value(cols.id)
    return Reply(
        id=str(rid) if rid is not None else f"{source.path.name}:{number}",
        text=body[0],
        is_html=body[1],
        agent=_sid(value(cols.agent)),
        time=iso_time(value(cols.time)),
        channel=channel_of(value(cols.channel)),
        macro=_sid(value(cols.macro)),
    )


def _missing_columns(source: _Source, present: Sequence[str]) -> Unreadable | None:
    absent = [c for c in source.columns.given() if c not in present]
    if not absent:
        return None
    return Unreadable(
        f"{source.path}: no column {', '.join(repr(c) for c in absent)} (columns: {', '.join(present[:30])}); "
        "name the columns with --text-column, --agent-column, --time-column, --channel-column, --id-column"
    )


def _read_csv(source: _Source, delimiter: str) -> Iterator[Item]:
    for task in _csv_tasks(source, delimiter):
        yield from _task_items(task, source)


def _csv_tasks(source: _Source, delimiter: str) -> Iterator[Task]:
    """The reading process's part of a CSV file: the header checked, then the lines cut into runs
    of whole records (the C parser finds where records end; nothing is built from the fields)."""
    csv.field_size_limit(2**31 - 1)
    lines: list[str] = []
    size = 0

    def kept(f: Iterable[str]) -> Iterator[str]:
        nonlocal size
        for line in f:
            lines.append(line)
            size += len(line)
            yield line

    # undecodable bytes become lone surrogates, so one bad record is reported and the rest read
    with source.path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        reader = csv.reader(kept(f), delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ItemsTask((Unreadable(f"{source.path}: line 1: not CSV: {exc}"),))
            return
        problem = _missing_columns(source, header)
        if problem:
            yield ItemsTask((problem,))
            return
        first = reader.line_num + 1
        lines.clear()
        size = 0
        while True:
            try:
                next(reader)
            except StopIteration:
                break
            except csv.Error:  # the worker's reader meets it in the same lines, and reports it
                continue
            if size >= CHUNK_CHARS:
                yield CsvTask(source.path, first, "".join(lines), tuple(header), delimiter)
                first = reader.line_num + 1
                lines.clear()
                size = 0
        if lines:
            yield CsvTask(source.path, first, "".join(lines), tuple(header), delimiter)


def _csv_items(path: Path, task: CsvTask, source: _Source) -> Iterator[Item]:
    reader = csv.reader(io.StringIO(task.text, newline=""), delimiter=task.delimiter)
    header = list(task.header)
    offset = task.first_line - 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Unreadable(f"{path}: line {offset + reader.line_num}: not CSV: {exc}")
            continue
        record = offset + reader.line_num
        if not values:
            continue
        where = f"{path}: record at line {record}"
        if any(_has_surrogate(v) for v in values):
            yield Unreadable(f"{where}: not UTF-8 (save the file as UTF-8)")
            continue
        if len(values) != len(header):
            yield Unreadable(f"{where}: {len(values)} fields where the header has {len(header)}")
            continue
        yield _table_row(source, dict(zip(header, values, strict=True)), where, record)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_parquet(source: _Source) -> Iterator[Item]:
    for task in _parquet_tasks(source):
        yield from _task_items(task, source)


def _parquet_tasks(source: _Source) -> Iterator[Task]:
    """The reading process's part of a Parquet file: the columns checked, then Arrow record
    batches (decoded by pyarrow; rows are made from them by the worker)."""
    _need("pyarrow")
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(source.path)
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError subclasses for damaged files
        yield ItemsTask((Unreadable(f"{source.path}: not a readable Parquet file: {exc}"),))
        return
    names = list(pf.schema_arrow.names)
    problem = _missing_columns(source, names)
    if problem:
        yield ItemsTask((problem,))
        return
    wanted = source.columns.given()
    row = 0
    for group in range(pf.num_row_groups):
        try:  # a whole row group at a time, as one damaged group is reported whole
            batches = list(pf.iter_batches(batch_size=PARQUET_ROWS, row_groups=[group], columns=wanted))
        except Exception as exc:
            yield ItemsTask((Unreadable(f"{source.path}: row group {group}: cannot be read: {exc}"),))
            continue
        while batches:
            batch = batches.pop(0)
            yield ArrowTask(source.path, row + 1, batch)
            row += batch.num_rows


# --------------------------------------------------------------------------------------------
# Tasks: the export cut into pieces that a worker reads, lints and counts on its own.
#
# The reading process does as little as it can: JSONL is cut into runs of whole lines (bytes,
# never decoded), CSV into runs of whole records (the C parser finds where records end), Parquet
# into Arrow batches. What needs the whole file in order (a helpdesk's JSON with its users and
# audit side-loads, a JSONL of helpdesk records whose users come as records) is read here and
# sent as items. The cuts depend on the input only, never on the number of workers, so one
# process, a pool and Dask see the same tasks.

CHUNK_BYTES = 64 * 1024  # bytes of JSONL per task (whole lines; a longer line is a task of its own)
CHUNK_CHARS = 64 * 1024  # characters of CSV per task (whole records)
PARQUET_ROWS = 512  # rows per Arrow batch
ITEMS_REPLIES = 256  # replies per task of items read here


@dataclasses.dataclass(frozen=True, slots=True)
class JsonlTask:
    path: Path
    first_line: int
    data: bytes  # whole lines


@dataclasses.dataclass(frozen=True, slots=True)
class CsvTask:
    path: Path
    first_line: int
    text: str  # whole records
    header: tuple[str, ...]
    delimiter: str


@dataclasses.dataclass(frozen=True, slots=True)
class ArrowTask:
    path: Path
    first_row: int
    batch: Any  # a pyarrow RecordBatch


@dataclasses.dataclass(frozen=True, slots=True)
class ItemsTask:
    items: tuple[Item, ...]


Task = JsonlTask | CsvTask | ArrowTask | ItemsTask


@dataclasses.dataclass(frozen=True)
class ReadSettings:
    """What a worker needs to read tasks as the reading process would."""

    fmt: str
    columns: Columns
    people: People


class Plan:
    """The reading process's side: `tasks()` cuts every input into tasks, in input order, and
    `settings` is what a worker needs to read them (the users, once `tasks()` has started)."""

    def __init__(self, paths: Sequence[Path], *, fmt: str, columns: Columns, users: Sequence[Path] = ()) -> None:
        self.paths = paths
        self.fmt = fmt
        self.columns = columns
        self.users = users
        self.people = People()

    @property
    def settings(self) -> ReadSettings:
        """A copy: what the files read later add to the users never reaches a worker, in any runner."""
        people = self.people
        copy = People(dict(people.users), dict(people.macro_by_comment), dict(people.macro_by_audit))
        return ReadSettings(self.fmt, self.columns, copy)

    def load_users(self) -> list[Item]:
        """Read the users files (before the workers start: they need the users)."""
        return [item for users_file in self.users for item in _read_users(users_file, self.people)]

    def tasks(self) -> Iterator[Task]:
        for path in self.paths:
            source = _Source(path, self.fmt, self.columns, self.people)
            try:
                yield from _file_tasks(source)
            except OSError as exc:
                yield ItemsTask((Unreadable(f"{path}: cannot read: {exc.strerror or exc}"),))


def _file_tasks(source: _Source) -> Iterator[Task]:
    suffix = source.path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        yield from _csv_tasks(source, "\t" if suffix == ".tsv" else ",")
    elif suffix == ".parquet":
        yield from _parquet_tasks(source)
    elif suffix in (".jsonl", ".ndjson") and _jsonl_is_table(source):
        yield from _jsonl_tasks(source.path)
    else:
        yield from _items_tasks(_read_file(source))


def _jsonl_is_table(source: _Source) -> bool:
    """A JSONL file is cut for the workers when it is a table (its first record says so, or
    --input-format table): its records are read one by one, whatever came before."""
    if source.fmt == "table":
        return True
    if source.fmt != "auto":
        return False
    with source.path.open("rb") as f:
        for raw in f:
            if raw.strip():
                try:
                    value = json.loads(raw.decode("utf-8"))
                except ValueError:  # a bad first line: the worker reports it
                    return True
                return _shape(value, source.columns.text) == "table"
    return True


def _jsonl_tasks(path: Path) -> Iterator[Task]:
    with path.open("rb") as f:
        line, rest = 1, b""
        while True:
            block = f.read(CHUNK_BYTES)
            if not block:
                if rest:
                    yield JsonlTask(path, line, rest)
                return
            data = rest + block if rest else block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            chunk, rest = data[:cut], data[cut:]
            yield JsonlTask(path, line, chunk)
            line += chunk.count(b"\n")


def _items_tasks(items: Iterable[Item]) -> Iterator[Task]:
    batch: list[Item] = []
    replies = 0
    for item in items:
        batch.append(item)
        if isinstance(item, Reply):
            replies += 1
            if replies >= ITEMS_REPLIES:
                yield ItemsTask(tuple(batch))
                batch, replies = [], 0
    if batch:
        yield ItemsTask(tuple(batch))


def task_items(task: Task, settings: ReadSettings) -> Iterator[Item]:
    """The worker's side: the items of one task, as reading the file in order gives them. A task
    reads with its own copy of the users (a user record in one task never reaches another)."""
    if isinstance(task, ItemsTask):
        yield from task.items
        return
    yield from _task_items(task, _Source(task.path, settings.fmt, settings.columns, settings.people, own_copy=True))


def _task_items(task: Task, source: _Source) -> Iterator[Item]:
    if isinstance(task, ItemsTask):
        yield from task.items
    elif isinstance(task, JsonlTask):
        lines = io.BytesIO(task.data)  # split as a file is: at b"\n", kept
        yield from _records_items(source, _jsonl_lines(task.path, lines, task.first_line), "line")
    elif isinstance(task, CsvTask):
        yield from _csv_items(task.path, task, source)
    else:
        row = task.first_row - 1
        for record in task.batch.to_pylist():
            row += 1
            yield _table_row(source, record, f"{task.path}: row {row}", row)
