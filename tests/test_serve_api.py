"""`tonecheck serve`: the JSON API, the gate, limits and safety, against a real server process
on a loopback port (see serve_support.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import child_pids
from serve_support import require

require("starlette", "uvicorn", "prometheus_client")


from serve_support import HOST, Server, shared_server  # noqa: E402

import tonecheck  # noqa: E402
from tonecheck._serve.gate import resolve_profiles, verdict  # noqa: E402
from tonecheck._serve.settings import ServeSettings, build_settings  # noqa: E402

ALL_RULES = tonecheck.Config(preview=True)  # the server under test runs preview rules too

DRAFT = "Hi {{first_name}},\n\nAs I said, you have to pay the return postage.\n\nThanks,\nAnna"


@pytest.fixture(scope="module")
def server() -> Server:
    return shared_server()


def library_findings(text: str, **kwargs: object) -> list[dict]:
    return [f.model_dump(mode="json") for f in tonecheck.check(text, config=ALL_RULES, **kwargs).findings]


# -- the JSON API -----------------------------------------------------------------------------


def test_check_returns_the_library_findings_with_the_gate_actions(server: Server) -> None:
    status, body = server.post_json("/v1/check", {"text": DRAFT, "context": {"customer_name": "Sara"}})
    assert status == 200
    expected = library_findings(DRAFT, context={"customer_name": "Sara"})
    assert [{k: v for k, v in f.items() if k != "action"} for f in body["findings"]] == expected
    actions = {f["code"]: f["action"] for f in body["findings"]}
    assert actions["TPL001"] == "block"  # template-leftover blocks (the configured gate)
    assert actions["PAG002"] == "warn"  # anything else warns by default
    assert body["verdict"] == "block"
    assert body["counts"]["block"] == sum(1 for a in actions.values() if a == "block")
    assert body["text"] == DRAFT and body["incomplete"] == []


def test_check_and_fix_carry_the_language(server: Server) -> None:
    russian = "Здравствуйте, Ольга!\n\nКак я уже писала, возврат занимает до десяти дней.\n\nС уважением,\nАнна"
    status, body = server.post_json("/v1/check", {"text": russian})
    assert status == 200 and (body["language"], body["notes"]) == ("ru", [])
    assert [f["code"] for f in body["findings"]] == [f["code"] for f in library_findings(russian)]
    assert "PAG501" in [f["code"] for f in body["findings"]]
    german = "Guten Tag,\n\nleider können wir die Bestellung nicht mehr ändern, da sie bereits verschickt wurde."
    status, body = server.post_json("/v1/check", {"text": german})
    assert (body["language"], body["notes"], body["findings"]) == ("de", ["not checked: no rules for de"], [])
    status, body = server.post_json("/v1/check", {"text": german, "language": "en"})
    assert body["language"] == "en" and body["notes"] == []
    status, body = server.post_json("/v1/fix", {"text": russian, "unsafe": True})
    assert status == 200 and body["language"] == "ru" and "Как я уже писала" not in body["text"]
    status, body = server.post_json("/v1/check", {"text": german, "language": "German"})
    assert status == 422 and body["field"] == "language"


def test_a_clean_reply_passes(server: Server) -> None:
    text = "Hi Sara,\n\nThe refund went out today.\n\nLet me know if anything else comes up.\n\nAnna"
    status, body = server.post_json("/v1/check", {"text": text, "context": {"customer_name": "Sara"}})
    assert status == 200 and body["findings"] == [] and body["verdict"] == "pass"


def test_html_drafts_have_offsets_into_the_markup(server: Server) -> None:
    html = "<p>Hi Sara,</p><p>As I said, you <b>have to</b> pay for it.</p>"
    status, body = server.post_json("/v1/check", {"text": html, "format": "html", "channel": "chat"})
    assert status == 200
    by_code = {f["code"]: f for f in body["findings"]}
    negative = by_code["NEG010"]
    assert body["text"][negative["start"] : negative["end"]] == "you have to"
    assert html[negative["source_start"] : negative["source_end"]] == "you <b>have to"


def test_profiles_change_the_gate_and_the_channel(server: Server) -> None:
    status, body = server.post_json("/v1/check", {"text": DRAFT, "profile": "chat-brand"})
    assert status == 200 and body["profile"] == "chat-brand" and body["channel"] == "chat"
    actions = {f["code"]: f["action"] for f in body["findings"]}
    assert actions["TPL001"] == "warn" and actions["NEG010"] == "block" and actions["PAG002"] == "pass"
    status, body = server.post_json("/v1/check", {"text": "Please check the DNS settings.", "profile": "no-jargon"})
    assert status == 200 and not any(f["category"] == "jargon" for f in body["findings"])
    status, body = server.post_json("/v1/check", {"text": "Please check the DNS settings."})
    assert any(f["category"] == "jargon" for f in body["findings"])


def test_an_unknown_profile_is_an_error_naming_the_field(server: Server) -> None:
    status, body = server.post_json("/v1/check", {"text": "Hi", "profile": "nope"})
    assert status == 422 and body["field"] == "profile" and "chat-brand" in body["message"]


def test_fix_applies_safe_fixes_and_unsafe_only_when_asked(server: Server) -> None:
    text = "Hi {{first_name}},\n\nAs I said, the refund is on its way.\n\nThanks"
    request = {"text": text, "context": {"customer_name": "Sara"}, "channel": "chat"}
    status, safe = server.post_json("/v1/fix", request)
    assert status == 200
    expected = tonecheck.fix(text, context={"customer_name": "Sara"}, channel="chat", config=ALL_RULES)
    assert safe["text"] == expected.text and "Sara" in safe["text"] and "As I said" in safe["text"]
    assert safe["changed"] and all(e["applicability"] == "safe" for e in safe["edits"])
    assert safe["verdict"] != "block"
    status, unsafe = server.post_json("/v1/fix", {**request, "unsafe": True})
    assert status == 200 and "As I said" not in unsafe["text"]
    assert (
        unsafe["text"]
        == tonecheck.fix(text, context={"customer_name": "Sara"}, channel="chat", unsafe=True, config=ALL_RULES).text
    )


def test_rules_list_and_one_rule(server: Server) -> None:
    status, body = server.get_json("/v1/rules")
    assert status == 200
    codes = {r["code"] for r in body["rules"]}
    assert {"PAG002", "TPL001", "NEG010", "CUS900"} <= codes
    status, rule = server.get_json("/v1/rules/pag002")
    assert status == 200 and rule["name"] == "as-i-said" and rule["examples"]["flag"] and rule["enabled"]
    status, by_name = server.get_json("/v1/rules/as-i-said")
    assert by_name == rule
    status, missing = server.get_json("/v1/rules/XYZ999")
    assert status == 404 and missing["error"] == "not_found"
    status, enabled = server.get_json("/v1/rules?enabled=false")
    assert all(not r["enabled"] for r in enabled["rules"])


def test_openapi_describes_the_versioned_api(server: Server) -> None:
    status, doc = server.get_json("/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    assert {"/v1/check", "/v1/fix", "/v1/rules", "/v1/rules/{code}", "/v2/check", "/healthz"} <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    assert {"CheckRequest", "CheckResponse", "GatedFinding", "ErrorOut"} <= set(schemas)
    assert schemas["CheckRequest"]["additionalProperties"] is False
    assert set(schemas["GatedFinding"]["properties"]) >= {"start", "end", "source_start", "suggestions", "action"}


def test_health_and_metrics(server: Server) -> None:
    status, health = server.get_json("/healthz")
    assert status == 200 and health["status"] == "ok" and health["rules"] > 30
    server.post_json("/v1/check", {"text": DRAFT})
    server.post_json("/v1/check", {"text": 5})
    status, _, raw = server.request("GET", "/metrics")
    text = raw.decode()
    assert status == 200
    assert 'tonecheck_requests_total{endpoint="/v1/check",method="POST",status="200"}' in text
    assert 'tonecheck_request_duration_seconds_bucket{endpoint="/v1/check",le="0.01"}' in text
    assert 'tonecheck_findings_total{action="block",category="template-leftover"}' in text
    assert 'tonecheck_errors_total{kind="invalid_request"}' in text


def test_two_workers_both_answer_and_metrics_add_up(server: Server) -> None:
    workers = {server.get_json("/healthz")[1]["worker"] for _ in range(40)}
    children = child_pids(server.process.pid)
    assert len(children) >= 2  # the supervisor's two workers (and its resource tracker, if any)
    assert workers <= children

    def count() -> float:
        text = server.request("GET", "/metrics")[2].decode()
        line = next(x for x in text.splitlines() if x.startswith('tonecheck_requests_total{endpoint="/healthz"'))
        return float(line.rsplit(" ", 1)[1])

    before = count()
    for _ in range(20):
        server.request("GET", "/healthz")
    assert count() == before + 20  # whichever worker answered the scrape, it counts both workers


# -- bad input, each answered cleanly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "error", "field"),
    [
        (b"{not json", 400, "invalid_json", None),
        (b"", 400, "invalid_json", None),
        (b'{"text": "caf\xe9"}', 400, "invalid_utf8", None),
        (b'["a list"]', 422, "invalid_request", None),
        (b'{"text": 5}', 422, "invalid_request", "text"),
        (b"{}", 422, "invalid_request", "text"),
        (b'{"text": "Hi", "colour": "red"}', 422, "invalid_request", "colour"),
        (b'{"text": "Hi", "context": {"customer_name": 3}}', 422, "invalid_request", "context.customer_name"),
        (b'{"text": "Hi", "format": "pdf"}', 422, "invalid_request", "format"),
        (b'{"text": "Hi", "ignore": "NEG"}', 422, "invalid_request", "ignore"),
    ],
)
def test_bad_requests_name_what_is_wrong(
    server: Server, body: bytes, status: int, error: str, field: str | None
) -> None:
    got, headers, raw = server.request("POST", "/v1/check", body, {"content-type": "application/json"})
    answer = json.loads(raw)
    assert (got, answer["error"], answer["field"]) == (status, error, field)
    assert headers["content-type"] == "application/json"


def test_an_empty_text_passes(server: Server) -> None:
    status, body = server.post_json("/v1/check", {"text": ""})
    assert status == 200 and body["verdict"] == "pass" and body["findings"] == []


def _post_raw(port: int, headers: bytes, pieces: list[bytes]) -> bytes:
    """POST by hand, tolerating a server that answers and closes before the whole body is sent;
    returns what came back up to the error's name."""
    with socket.create_connection((HOST, port)) as conn:
        conn.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers + b"\r\n")
        try:
            for piece in pieces:
                conn.sendall(piece)
        except OSError:
            pass
        answer = b""
        while b'"body_too_large"' not in answer:
            part = conn.recv(65536)
            if not part:
                break
            answer += part
    return answer


def test_oversize_bodies_get_413_as_json(server: Server) -> None:
    payload = json.dumps({"text": "word " * 220_000}).encode()  # 1.1 MB
    answer = _post_raw(server.port, b"Content-Length: %d\r\n" % len(payload), [payload])
    assert answer.startswith(b"HTTP/1.1 413") and b'"error":"body_too_large"' in answer.replace(b" ", b"")
    # without a Content-Length (chunked), the limit still holds
    chunk = b"a" * 65536
    answer = _post_raw(server.port, b"Transfer-Encoding: chunked\r\n", [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 20)
    assert answer.startswith(b"HTTP/1.1 413") and b'"body_too_large"' in answer


def test_text_over_the_text_limit_is_422_naming_text(server: Server) -> None:
    status, body = server.post_json("/v1/check", {"text": "Thanks! " * 13_000})  # 104,000 characters
    assert status == 422 and body["error"] == "text_too_long" and body["field"] == "text"


def test_connections_opened_and_dropped_leave_the_server_answering(server: Server) -> None:
    sockets = []
    for _ in range(300):
        s = socket.create_connection((HOST, server.port))
        sockets.append(s)
    for index, s in enumerate(sockets):
        if index % 3 == 0:
            s.sendall(b'POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"te')  # half a request
        s.close()
    status, body = server.post_json("/v1/check", {"text": DRAFT})
    assert status == 200 and body["verdict"] == "block"


# -- limits on work ------------------------------------------------------------------------------


def test_a_runaway_rule_regex_is_cut_off_and_reported(server: Server) -> None:
    started = time.monotonic()
    status, body = server.post_json("/v1/check", {"text": "a" * 40 + "!"})
    assert status == 200
    assert body["incomplete"] == [{"code": "CUS900", "reason": "regex-timeout"}]
    assert body["verdict"] == "warn"  # an incomplete check is never a pass
    assert time.monotonic() - started < 20  # not hung (the regex alone would run for hours)
    assert "rule CUS900: its regular expression ran out of time" in server.log_text()
    status, _, raw = server.request("GET", "/metrics")
    assert 'tonecheck_rule_timeouts_total{rule="CUS900"}' in raw.decode()
    # the worker is fine afterwards
    status, body = server.post_json("/v1/check", {"text": DRAFT})
    assert status == 200 and body["incomplete"] == []


def test_the_request_time_limit_answers_503_and_the_worker_goes_on() -> None:
    server = Server("[serve]\nrequest-timeout = 0.001\n")
    try:
        server.wait_ready()
        long_text = "Hi Sara,\n\n" + "As I said, you have to restart the router first. " * 1500
        status, body = server.post_json("/v1/check", {"text": long_text})
        assert status == 503 and body["error"] == "timeout"
        status, _health = server.get_json("/healthz")
        assert status == 200
    finally:
        server.stop()


# -- API keys, CORS, logs ------------------------------------------------------------------------


def test_api_keys_from_the_environment_and_a_file_and_cors() -> None:
    server = Server(
        textwrap.dedent("""\
        [serve]
        api-keys-file = "keys.txt"
        cors-origins = ["https://agents.example.com"]
        """),
        env={"TONECHECK_API_KEYS": "env-key-0123456789abcdef"},
        extra_files={"keys.txt": "# team keys\nfile-key-0123456789abcdef  # the helpdesk app\n"},
    )
    try:
        server.wait_ready()
        status, body = server.post_json("/v1/check", {"text": "Hi"})
        assert status == 401 and body["error"] == "unauthorized"
        assert server.post_json("/v1/check", {"text": "Hi"}, {"authorization": "Bearer wrong-key-0123456789"})[0] == 401
        for key in ("env-key-0123456789abcdef", "file-key-0123456789abcdef"):
            assert server.post_json("/v1/check", {"text": "Hi"}, {"authorization": f"Bearer {key}"})[0] == 200
        assert server.get_json("/healthz")[0] == 200  # health needs no key
        assert server.request("GET", "/metrics")[0] == 401
        # a browser's preflight carries no key; the allowed origin gets CORS headers, another does not
        preflight = {
            "origin": "https://agents.example.com",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type",
        }
        status, headers, _ = server.request("OPTIONS", "/v1/check", headers=preflight)
        assert status == 200 and headers["access-control-allow-origin"] == "https://agents.example.com"
        status, headers, _ = server.request(
            "OPTIONS", "/v1/check", headers={**preflight, "origin": "https://evil.example.net"}
        )
        assert "access-control-allow-origin" not in headers
        # LanguageTool clients may send the key as a form field
        form = b"language=en-US&text=As+I+said%2C+restart+it.&apiKey=file-key-0123456789abcdef"
        status, _, raw = server.request(
            "POST", "/v2/check", form, {"content-type": "application/x-www-form-urlencoded"}
        )
        assert status == 200 and json.loads(raw)["matches"]
        status, _, _ = server.request(
            "POST", "/v2/check", b"language=en-US&text=Hi", {"content-type": "application/x-www-form-urlencoded"}
        )
        assert status == 401
    finally:
        server.stop()


def test_no_draft_text_reaches_the_logs(server: Server) -> None:
    marker = "Zyxwvutsrq"
    server.post_json("/v1/check", {"text": f"Hi {marker}, as I said, restart it."})
    server.post_json("/v1/check", {"text": f"Hi {marker}", "colour": marker})
    server.post_json("/v1/fix", {"text": f"Per my last email, {marker} is fixed."})
    server.request("GET", f"/v2/check?language=en-US&text=As+I+said+{marker}")
    server.request("POST", "/v1/check", f'{{"text": "{marker}'.encode(), {"content-type": "application/json"})
    time.sleep(0.5)
    log = server.log_text()
    assert "/v2/check" in log  # the requests were logged ...
    assert marker not in log  # ... without their text


# -- start-up --------------------------------------------------------------------------------


def test_the_port_opens_only_after_the_engine_is_built() -> None:
    server = Server(None)
    try:
        server.wait_ready()  # the first moment a connection is accepted
        assert "engine built and warmed up" in server.log_text()
        status, _body = server.post_json("/v1/check", {"text": DRAFT})
        assert status == 200
    finally:
        server.stop()


def test_loopback_is_the_default_address() -> None:
    assert ServeSettings().host == "127.0.0.1"
    assert build_settings(None, {"host": None, "port": None}).host == "127.0.0.1"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[serve]\nworkerz = 2\n", "[serve] key 'workerz': unknown key"),
        (
            "[serve.gate]\nrules = [{ select = ['template-leftovers'], action = 'block' }]\n",
            "'template-leftovers' names no rule",
        ),
        ("[serve.gate]\nrules = [{ select = ['TPL'], action = 'stop' }]\n", "gate.rules.0.action"),
    ],
)
def test_a_bad_serve_configuration_stops_with_a_message(tmp_path, config: str, message: str) -> None:
    (tmp_path / "tonecheck.toml").write_text(config, encoding="utf-8")
    port = str(__import__("serve_support").free_port())
    result = subprocess.run(
        [sys.executable, "-m", "tonecheck", "serve", "--port", port, "--config", str(tmp_path / "tonecheck.toml")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_the_serve_table_does_not_disturb_tonecheck_check(tmp_path) -> None:
    (tmp_path / "tonecheck.toml").write_text("ignore = ['jargon']\n[serve]\nworkers = 2\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Please check the DNS.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tonecheck", "check", "reply.txt", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert not any(f["category"] == "jargon" for f in findings)  # the rest of the file still applies


# -- in-process: the gate and the memory zone ---------------------------------------------------


def test_gate_rules_first_match_wins_and_the_verdict_is_the_strongest() -> None:
    settings = ServeSettings.model_validate(
        {
            "gate": {
                "default": "pass",
                "rules": [
                    {"select": "NEG010", "action": "pass"},
                    {"select": ["negative-language"], "action": "block"},
                    {"severity": "info", "action": "warn"},
                ],
            }
        }
    )
    profile = resolve_profiles(settings)["default"]
    report = tonecheck.check("You have to pay for it. We can't refund that.", channel="chat", config=ALL_RULES)
    actions = {f.code: profile.action(f) for f in report.findings}
    assert actions["NEG010"] == "pass"
    assert any(code.startswith("NEG") and code != "NEG010" and a == "block" for code, a in actions.items())
    assert (
        verdict(["pass", "warn"]) == "warn" and verdict([]) == "pass" and verdict(["pass"], incomplete=True) == "warn"
    )
    assert verdict(["warn", "block", "pass"]) == "block"


def test_checks_in_a_memory_zone_find_what_checks_outside_find() -> None:
    from pathlib import Path

    from tonecheck._engine.linter import get_engine

    linter = tonecheck.Linter(ALL_RULES)
    vocab = get_engine().nlp.vocab
    corpus = Path(__file__).parent.parent / "corpora" / "labelled.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")][:300]
    for text in texts:
        with vocab.memory_zone():
            inside = linter.check(text)
        assert inside == linter.check(text)
    # words first seen inside a zone are forgotten when it closes
    with vocab.memory_zone():
        linter.check("Qwertzuiopasdf yxcvbnmlkjhg poiuzt")
    assert "qwertzuiopasdf" not in vocab.strings


def test_a_worker_recycles_itself_and_no_request_is_lost() -> None:
    server = Server("[serve]\nmax-requests = 64\n", workers=1)
    try:
        server.wait_ready()
        first = server.get_json("/healthz")[1]["worker"]
        statuses = [server.post_json("/v1/check", {"text": DRAFT})[0] for _ in range(70)]
        assert statuses == [200] * 70  # the 64th answer started the restart; the rest waited for the new worker
        deadline = time.monotonic() + 120
        second = first
        while second == first and time.monotonic() < deadline:
            second = server.get_json("/healthz")[1]["worker"]
            time.sleep(0.2)
        assert second != first
        assert "restarts in 3 s (requests limit reached)" in server.log_text()
        _status, _, raw = server.request("GET", "/metrics")
        assert 'tonecheck_worker_recycles_total{reason="requests"} 1.0' in raw.decode()
    finally:
        server.stop()
