"""In a real browser (Debian's chromium, driven by Playwright): the composer page, and the
Zendesk and Freshdesk apps' logic with stand-ins for the helpdesks' client objects, all against
the running service. Outside CI these tests skip when chromium is not installed; in CI (CI=true)
they fail instead (.ci/serve-deps installs it)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import require

require("starlette", "uvicorn", "prometheus_client")


from serve_support import HOST, Server, launch_browser, need_browser, shared_server  # noqa: E402

ROOT = Path(__file__).parent.parent
INTEGRATIONS = ROOT / "integrations"


@pytest.fixture(scope="module")
def server() -> Server:
    return shared_server()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = launch_browser(playwright, profile)
        # nothing but the loopback servers: any other request fails the test
        outside: list[str] = []

        def guard(route: Any) -> None:
            url = route.request.url
            if url.startswith((f"http://{HOST}:", "about:", "data:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", guard)
        yield context
        context.close()
        assert outside == [], f"the page tried to reach {outside}"


# -- the composer page ------------------------------------------------------------------------


def test_composer_highlights_findings_and_applies_a_rewrite(server: Server, browser: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + "/")
    # keyboard only: tab to the customer name, type it, tab on to the draft and type the draft
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "customer"
    page.keyboard.type("Sara")
    page.locator("#draft").focus()
    page.keyboard.type(
        "Hi {{first_name}},\n\nAs I said, it is on its way. You have to pay the return postage.\n\nThanks,\nAnna"
    )
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#verdict[data-verdict='block']")
    marks = page.locator("#backdrop mark")
    highlighted = {marks.nth(i).get_attribute("data-code"): marks.nth(i).inner_text() for i in range(marks.count())}
    assert highlighted["TPL001"] == "{{first_name}}"
    assert highlighted["PAG002"] == "As I said"
    assert page.locator("#backdrop mark.block[data-code='TPL001']").count() == 1
    assert "placeholder" in page.locator("li[data-code='TPL001']").inner_text()
    # the highlight sits on the draft's own text: the mark covers the same box as the words
    # "{{first_name}}" in the textarea would (same font, same wrapping)
    mark_box = page.locator("#backdrop mark[data-code='TPL001']").bounding_box()
    area_box = page.locator("#draft").bounding_box()
    assert area_box["x"] < mark_box["x"] < area_box["x"] + area_box["width"]
    assert area_box["y"] < mark_box["y"] < area_box["y"] + 60  # on the first line
    # apply the safe rewrite (fill in the customer's name) with the keyboard
    apply = page.locator("li[data-code='TPL001'] button.apply")
    assert "Sara" in apply.inner_text()
    apply.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('verdict').dataset.verdict !== 'block'")
    assert page.locator("#draft").input_value().startswith("Hi Sara,")
    assert page.locator("#verdict").get_attribute("data-verdict") == "warn"
    assert page.locator("#backdrop mark[data-code='TPL001']").count() == 0
    # and a tone rewrite: "you have to" -> "please"
    page.locator("li[data-code='NEG010'] button.apply").click()
    page.wait_for_function("() => !document.getElementById('draft').value.includes('You have to')")
    page.wait_for_function("() => !document.querySelector(\"#backdrop mark[data-code='NEG010']\")")
    assert "Please pay the return postage" in page.locator("#draft").input_value()
    # self-contained: every request went to the service itself
    assert requests and all(url.startswith(server.url) for url in requests)
    page.close()


def test_composer_offsets_survive_emoji(server: Server, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server.url + "/")
    page.locator("#draft").fill("😀😀 Thanks! As I said, it is off. You have to pay for it. 🙂")
    page.locator("#check").click()
    page.wait_for_selector("#backdrop mark[data-code='PAG002']")
    assert page.locator("#backdrop mark[data-code='PAG002']").inner_text() == "As I said"
    page.locator("li[data-code='NEG010'] button.apply").click()
    page.wait_for_function("() => document.getElementById('draft').value.includes('Please pay')")
    assert page.locator("#draft").input_value() == "😀😀 Thanks! As I said, it is off. Please pay for it. 🙂"
    page.close()


# -- helpdesk apps ------------------------------------------------------------------------------

HARNESS = """<!doctype html><meta charset="utf-8"><title>harness</title>
<script src="zendesk/tonecheck-gate.js"></script>
<script src="freshdesk/tonecheck-gate.js"></script>
<script>
// Stand-ins for the helpdesks' client objects. Their request methods really call the service.
function httpRequest(url, method, headers, body) {
  return fetch(url, { method: method, headers: headers, body: body }).then(function (response) {
    return response.text().then(function (text) {
      if (!response.ok) return Promise.reject({ status: response.status, responseText: text });
      return text;
    });
  });
}
window.zendeskClient = function (serviceUrl, comment, settings) {
  var log = { notifications: [], requests: [] };
  return { log: log,
    metadata: function () { return Promise.resolve({ settings: settings }); },
    get: function (keys) {
      var all = { "ticket.comment.text": comment.text, "ticket.comment.type": comment.type,
                  "ticket.requester.name": comment.requester };
      var out = {}; keys.forEach(function (k) { out[k] = all[k]; }); return Promise.resolve(out);
    },
    request: function (options) {
      log.requests.push(options);
      var headers = Object.assign({ "content-type": options.contentType }, options.headers || {});
      return httpRequest(options.url, options.type, headers, options.data).then(JSON.parse);
    },
    invoke: function (name, message, kind) { log.notifications.push([name, message, kind]); return Promise.resolve(); }
  };
};
window.freshdeskClient = function (serviceUrl, requester, iparams) {
  var log = { notifications: [], requests: [] };
  return { log: log,
    data: { get: function (what) { return what === "requester" ? Promise.resolve({ requester: { name: requester } })
                                                               : Promise.reject({ status: 404 }); } },
    iparams: { get: function () { return Promise.resolve(iparams); } },
    request: { invokeTemplate: function (name, options) {
      log.requests.push([name, options]);
      if (name !== "tonecheckCheck") return Promise.reject({ status: 404 });
      var headers = { "Content-Type": "application/json" };
      if (iparams.api_key) headers.Authorization = "Bearer " + iparams.api_key;
      // what config/requests.json says: POST <host>/v1/check
      return httpRequest(serviceUrl + "/v1/check", "POST", headers, options.body).then(function (text) {
        return { status: 200, response: text };
      });
    } },
    interface: { trigger: function (name, options) { log.notifications.push([name, options]); return Promise.resolve(); } }
  };
};
window.freshdeskEvent = function (body) {
  var outcome = { done: 0, fail: [] };
  return { outcome: outcome, type: "ticket.sendReply",
           helper: { getData: function () { return { body: body }; },
                     done: function () { outcome.done += 1; }, fail: function (m) { outcome.fail.push(m); } } };
};
</script>"""


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The apps' scripts, served from another loopback origin than the service's (as a helpdesk
    page is), so the service's CORS allow-list is exercised too."""
    folder = tmp_path_factory.mktemp("harness")
    (folder / "zendesk").mkdir()
    (folder / "freshdesk").mkdir()
    shutil.copy(INTEGRATIONS / "zendesk" / "assets" / "tonecheck-gate.js", folder / "zendesk")
    shutil.copy(INTEGRATIONS / "freshdesk" / "app" / "scripts" / "tonecheck-gate.js", folder / "freshdesk")
    (folder / "harness.html").write_text(HARNESS, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((HOST, 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{HOST}:{httpd.server_address[1]}/harness.html"
    httpd.shutdown()
    httpd.server_close()


ZENDESK_RUN = """async ([serviceUrl, comment, settings]) => {
  const client = zendeskClient(serviceUrl, comment, settings);
  try {
    const allowed = await TonecheckZendesk.onTicketSave(client);
    return { allowed: allowed, log: client.log };
  } catch (message) {
    return { cancelled: message, log: client.log };
  }
}"""


def test_zendesk_save_hook_cancels_a_blocked_reply(server: Server, browser: Any, harness: str) -> None:
    page = browser.new_page()
    page.goto(harness)
    settings = {"service_url": server.url + "/"}
    blocked = page.evaluate(
        ZENDESK_RUN,
        [
            server.url,
            {
                "text": "<p>Hi {{first_name}},</p><p>Your order shipped.</p>",
                "type": "publicReply",
                "requester": "Sara Lopez",
            },
            settings,
        ],
    )
    assert "tonecheck stopped this reply" in blocked["cancelled"]
    assert "{{first_name}}" in blocked["cancelled"] and "TPL001" in blocked["cancelled"]
    request = blocked["log"]["requests"][0]
    assert request["url"] == server.url + "/v1/check" and request["cors"] is True
    assert '"format":"html"' in request["data"] and '"customer_name":"Sara Lopez"' in request["data"]
    # a warning lets the save go ahead, with a notice
    warned = page.evaluate(
        ZENDESK_RUN,
        [
            server.url,
            {"text": "<p>Hi Sara,</p><p>As I said, it shipped.</p>", "type": "publicReply", "requester": "Sara"},
            settings,
        ],
    )
    assert warned["allowed"] is True
    assert warned["log"]["notifications"][0][0] == "notify" and "As I said" in warned["log"]["notifications"][0][1]
    # internal notes are never checked
    note = page.evaluate(
        ZENDESK_RUN,
        [server.url, {"text": "Hi {{first_name}}, as I said", "type": "internalNote", "requester": "Sara"}, settings],
    )
    assert note["allowed"] is True and note["log"]["requests"] == []
    # a profile from the settings: chat-brand lets template leftovers through with a warning
    profiled = page.evaluate(
        ZENDESK_RUN,
        [
            server.url,
            {"text": "<p>Hi {{first_name}}, it shipped.</p>", "type": "publicReply", "requester": "Sara"},
            {**settings, "profile": "chat-brand"},
        ],
    )
    assert profiled["allowed"] is True
    page.close()


def test_zendesk_save_hook_when_the_service_is_down(browser: Any, harness: str) -> None:
    page = browser.new_page()
    page.goto(harness)
    dead = f"http://{HOST}:9"  # nothing listens there
    comment = {"text": "<p>Hi {{first_name}}</p>", "type": "publicReply", "requester": "Sara"}
    open_ = page.evaluate(ZENDESK_RUN, [dead, comment, {"service_url": dead}])
    assert open_["allowed"] is True and open_["log"]["notifications"][0][2] == "error"
    closed = page.evaluate(ZENDESK_RUN, [dead, comment, {"service_url": dead, "fail_closed": True}])
    assert "could not check" in closed["cancelled"]
    page.close()


FRESHDESK_RUN = """async ([serviceUrl, body, requester, iparams]) => {
  const client = freshdeskClient(serviceUrl, requester, iparams);
  const event = freshdeskEvent(body);
  const verdict = await TonecheckFreshdesk.onSendReply(client, event);
  return { verdict: verdict, outcome: event.outcome, log: client.log };
}"""


def test_freshdesk_send_reply_intercept(server: Server, browser: Any, harness: str) -> None:
    page = browser.new_page()
    page.goto(harness)
    blocked = page.evaluate(
        FRESHDESK_RUN, [server.url, "<div>Hi [Customer Name],</div><div>It shipped.</div>", "Sara", {}]
    )
    assert blocked["verdict"] == "block" and blocked["outcome"]["done"] == 0
    assert len(blocked["outcome"]["fail"]) == 1 and "tonecheck stopped this reply" in blocked["outcome"]["fail"][0]
    assert blocked["log"]["requests"][0][0] == "tonecheckCheck"
    warned = page.evaluate(
        FRESHDESK_RUN, [server.url, "<div>Hi Sara,</div><div>As I said, it shipped.</div>", "Sara", {}]
    )
    assert warned["verdict"] == "warn" and warned["outcome"] == {"done": 1, "fail": []}
    assert warned["log"]["notifications"][0][1]["type"] == "warning"
    clean = page.evaluate(
        FRESHDESK_RUN,
        [
            server.url,
            "<div>Hi Sara,</div><div>Your refund went out today. Let me "
            "know if anything else comes up.</div><div>Anna</div>",
            "Sara",
            {},
        ],
    )
    assert clean["verdict"] == "pass" and clean["outcome"] == {"done": 1, "fail": []}
    # the service down: the reply goes out, unless fail_closed is set
    down = page.evaluate(FRESHDESK_RUN, [f"http://{HOST}:9", "<div>Hi {{name}}</div>", "Sara", {}])
    assert down["verdict"] == "error-allowed" and down["outcome"]["done"] == 1
    down_closed = page.evaluate(
        FRESHDESK_RUN, [f"http://{HOST}:9", "<div>Hi {{name}}</div>", "Sara", {"fail_closed": True}]
    )
    assert down_closed["outcome"]["done"] == 0 and "could not check" in down_closed["outcome"]["fail"][0]
    page.close()
