"""The LanguageTool-compatible endpoint (/v2), with a real third-party client:
language_tool_python pointed at the server as its remote server, never at the network."""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest
from serve_support import require

require("starlette", "uvicorn", "prometheus_client", "language_tool_python")


from serve_support import HOST, Server, shared_server  # noqa: E402

import tonecheck  # noqa: E402

ALL_RULES = tonecheck.Config(preview=True)  # the server under test runs preview rules too

TEXT = "😀 Hi Sara,\n\nAs I said, it is off 🙂. You have to pay the return postage first.\n\nThanks,\nAnna"


@pytest.fixture(scope="module")
def server() -> Server:
    return shared_server()


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client may talk to loopback addresses only, and may download nothing."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        if isinstance(address, tuple) and host not in (HOST, "localhost", "::1"):
            raise AssertionError(f"a connection to {address!r} was attempted")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    import language_tool_python.download_lt as download_lt
    import language_tool_python.server as lt_server

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("language_tool_python tried to download LanguageTool")

    monkeypatch.setattr(download_lt, "download_lt", no_download)
    monkeypatch.setattr(download_lt, "http_get", no_download)
    monkeypatch.setattr(lt_server.LanguageTool, "_start_server_on_free_port", no_download)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


def test_language_tool_python_gets_tonecheck_findings_at_the_right_places(server: Server, loopback_only: None) -> None:
    import language_tool_python

    with language_tool_python.LanguageTool("en-US", remote_server=server.url) as tool:
        matches = tool.check(TEXT)
    expected = tonecheck.check(TEXT, config=ALL_RULES).findings
    assert [m.rule_id for m in matches] == [f.code for f in expected]
    for m, f in zip(matches, expected):
        # language_tool_python turns LanguageTool's UTF-16 offsets back into Python's (right only if
        # the server counted UTF-16 code units: two for each emoji before the finding); lengths it
        # keeps in UTF-16 units, as LanguageTool sends them (an emoji inside a span counts two)
        assert m.offset == f.start
        assert m.error_length == len(f.match.encode("utf-16-le")) // 2
        assert m.message == f.message
        assert m.category == f.category.upper().replace("-", "_")
    negative = next(m for m in matches if m.rule_id == "NEG010")
    assert negative.replacements == ["Please"]
    assert tool_correct(language_tool_python, matches).startswith("😀 Hi Sara")


def tool_correct(module: object, matches: list) -> str:
    from language_tool_python.utils import correct

    return correct(TEXT, [m for m in matches if m.replacements])


def test_offsets_are_utf16_code_units(server: Server) -> None:
    body = urllib.parse.urlencode({"text": TEXT, "language": "en-US"}).encode()
    status, headers, raw = server.request(
        "POST", "/v2/check", body, {"content-type": "application/x-www-form-urlencoded"}
    )
    assert status == 200 and headers["content-type"].startswith("application/json")
    answer = json.loads(raw)
    units = TEXT.encode("utf-16-le")
    for m in answer["matches"]:
        matched = units[2 * m["offset"] : 2 * (m["offset"] + m["length"])].decode("utf-16-le")
        assert matched == next(
            f.match for f in tonecheck.check(TEXT, config=ALL_RULES).findings if f.code == m["rule"]["id"]
        )
        context = m["context"]
        piece = context["text"].encode("utf-16-le")[2 * context["offset"] : 2 * (context["offset"] + context["length"])]
        assert piece.decode("utf-16-le") == matched.replace("\n", " ")
        assert matched.split("\n")[0] in m["sentence"]
        assert {"id", "description", "issueType", "category"} <= set(m["rule"])
        assert m["type"]["typeName"] in ("Other", "Hint")
    first = answer["matches"][0]
    assert first["rule"]["id"] == "PAG002" and first["offset"] == TEXT.index("As I said") + 1  # one emoji before


def test_annotated_data_keeps_offsets_in_the_original(server: Server) -> None:
    data = {
        "annotation": [
            {"text": "Hi Sara,"},
            {"markup": "<p>", "interpretAs": "\n\n"},
            {"text": "As I said, you "},
            {"markup": "<b>"},
            {"text": "have to"},
            {"markup": "</b>"},
            {"text": " pay for it."},
        ]
    }
    original = "".join(part.get("text", part.get("markup", "")) for part in data["annotation"])
    body = urllib.parse.urlencode({"data": json.dumps(data), "language": "en-US"}).encode()
    status, _, raw = server.request("POST", "/v2/check", body, {"content-type": "application/x-www-form-urlencoded"})
    assert status == 200
    spans = {m["rule"]["id"]: original[m["offset"] : m["offset"] + m["length"]] for m in json.loads(raw)["matches"]}
    assert spans["PAG002"] == "As I said"
    assert spans["NEG010"] == "you <b>have to"


def test_rule_and_category_filters(server: Server) -> None:
    def rule_ids(**params: str) -> list[str]:
        body = urllib.parse.urlencode({"text": TEXT, "language": "en-US", **params}).encode()
        raw = server.request("POST", "/v2/check", body, {"content-type": "application/x-www-form-urlencoded"})[2]
        return [m["rule"]["id"] for m in json.loads(raw)["matches"]]

    everything = rule_ids()
    assert "PAG002" in everything and "NEG010" in everything
    assert "PAG002" not in rule_ids(disabledRules="PAG002")
    assert not any(r.startswith("NEG") for r in rule_ids(disabledCategories="NEGATIVE_LANGUAGE"))
    assert rule_ids(enabledRules="NEG010", enabledOnly="true") == ["NEG010"]


def test_languages_other_languages_and_bad_parameters(server: Server) -> None:
    status, languages = server.get_json("/v2/languages")
    assert status == 200 and {"name": "English (US)", "code": "en", "longCode": "en-US"} in languages
    body = urllib.parse.urlencode({"text": "Wie ich schon sagte", "language": "de-DE"}).encode()
    status, _, raw = server.request("POST", "/v2/check", body, {"content-type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(raw)["matches"] == []
    status, _, raw = server.request(
        "POST", "/v2/check", b"language=en-US", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert status == 400 and b"'text'" in raw
    status, _, raw = server.request(
        "GET", "/v2/check?" + urllib.parse.urlencode({"text": "As I said, hi.", "language": "auto"})
    )
    assert status == 200 and json.loads(raw)["matches"][0]["rule"]["id"] == "PAG002"


def test_browser_extensions_get_cors(server: Server) -> None:
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    status, headers, _ = server.request(
        "OPTIONS", "/v2/check", headers={"origin": origin, "access-control-request-method": "POST"}
    )
    assert status == 200 and headers["access-control-allow-origin"] == origin
    status, headers, _ = server.request(
        "POST",
        "/v2/check",
        b"language=en-US&text=As+I+said%2C+hi.",
        {"content-type": "application/x-www-form-urlencoded", "origin": origin},
    )
    assert status == 200 and headers["access-control-allow-origin"] == origin
