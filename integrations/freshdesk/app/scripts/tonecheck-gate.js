/* tonecheck pre-send gate for Freshdesk (Freshworks app platform 2.3).
 *
 * `onSendReply(client, event)` is the intercept handler of `ticket.sendReply`: it reads the reply
 * from the event, asks the tonecheck service (through the `tonecheckCheck` request template), and
 * calls `event.helper.fail(message)` when the verdict is "block", `event.helper.done()` otherwise
 * (with a notice on "warn"). If the service cannot be reached the reply goes out, unless the
 * `fail_closed` installation parameter is on.
 */
(function (root) {
  "use strict";

  var MAX_LISTED = 3;

  function lines(findings, action) {
    var chosen = findings.filter(function (f) { return f.action === action; });
    var out = chosen.slice(0, MAX_LISTED).map(function (f) { return f.message + " (" + f.code + ")"; });
    if (chosen.length > MAX_LISTED) out.push("and " + (chosen.length - MAX_LISTED) + " more");
    return out;
  }

  function replyText(event) {
    var data = (event.helper.getData && event.helper.getData()) || {};
    var reply = data.reply || data;
    return reply.body || reply.body_html || reply.body_text || reply.text || "";
  }

  function customerName(client) {
    return client.data.get("requester").then(function (data) {
      return (data && data.requester && data.requester.name) || null;
    }, function () { return null; });
  }

  function check(client, iparams, text, name) {
    var payload = { text: text, format: "html", mode: "draft" };
    if (name) payload.context = { customer_name: String(name) };
    if (iparams.profile) payload.profile = iparams.profile;
    return client.request.invokeTemplate("tonecheckCheck", { body: JSON.stringify(payload) }).then(function (answer) {
      return typeof answer.response === "string" ? JSON.parse(answer.response) : answer.response;
    });
  }

  function notify(client, type, message) {
    return Promise.resolve(client.interface.trigger("showNotify", { type: type, message: message })).catch(function () {});
  }

  function onSendReply(client, event) {
    var text = replyText(event);
    if (!text.replace(/<[^>]*>|&nbsp;|\s/g, "")) { event.helper.done(); return Promise.resolve("empty"); }
    return Promise.all([client.iparams.get(), customerName(client)]).then(function (got) {
      var iparams = got[0] || {};
      return check(client, iparams, text, got[1]).then(function (result) {
        if (result.verdict === "block") {
          event.helper.fail("tonecheck stopped this reply: " + lines(result.findings, "block").join("; "));
          return "block";
        }
        if (result.verdict === "warn") {
          notify(client, "warning", "tonecheck: " + lines(result.findings, "warn").join("; "));
        }
        event.helper.done();
        return result.verdict;
      }, function (error) {
        var why = "tonecheck could not check this reply (" + ((error && error.status) || "no answer") + ")";
        if (iparams.fail_closed) { event.helper.fail(why + "; try again in a moment."); return "error-blocked"; }
        notify(client, "danger", why + "; it was sent unchecked.");
        event.helper.done();
        return "error-allowed";
      });
    });
  }

  root.TonecheckFreshdesk = { onSendReply: onSendReply };
})(typeof window !== "undefined" ? window : this);
