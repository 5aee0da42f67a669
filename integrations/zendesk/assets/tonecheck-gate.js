/* tonecheck pre-send gate for Zendesk (Apps Framework v2).
 *
 * `onTicketSave(client)` is the `ticket.save` handler: it reads the comment being saved, skips
 * internal notes, asks the tonecheck service, and cancels the save (a promise rejected with the
 * message Zendesk shows the agent) when the verdict is "block". On "warn" the save goes ahead and
 * the agent sees a notice. If the service cannot be reached the save goes ahead too, unless the
 * app's `fail_closed` setting is on.
 *
 * Settings (manifest parameters): service_url, api_key, profile, fail_closed.
 */
(function (root) {
  "use strict";

  var MAX_LISTED = 3;

  function firstLines(findings, action) {
    var chosen = findings.filter(function (f) { return f.action === action; });
    var lines = chosen.slice(0, MAX_LISTED).map(function (f) { return "\u2022 " + f.message + " (" + f.code + ")"; });
    if (chosen.length > MAX_LISTED) lines.push("\u2022 and " + (chosen.length - MAX_LISTED) + " more");
    return lines;
  }

  function blockMessage(result) {
    return ["tonecheck stopped this reply. Fix these before sending:"].concat(firstLines(result.findings, "block")).join("\n");
  }

  function warnMessage(result) {
    return ["tonecheck: worth a second look before the customer reads it:"].concat(firstLines(result.findings, "warn")).join("\n");
  }

  function request(client, settings, payload) {
    var headers = {};
    if (settings.api_key) headers.Authorization = "Bearer " + settings.api_key;
    return client.request({
      url: String(settings.service_url || "").replace(/\/+$/, "") + "/v1/check",
      type: "POST",
      contentType: "application/json",
      data: JSON.stringify(payload),
      headers: headers,
      cors: true,        // straight from the agent's browser to the service (no Zendesk proxy)
      timeout: 5000
    });
  }

  /* What the gate decides for one comment: {action: "allow"|"cancel", message, result}. */
  function decide(client, settings) {
    return client.get(["ticket.comment.text", "ticket.comment.type", "ticket.requester.name"]).then(function (data) {
      var text = data["ticket.comment.text"] || "";
      if (data["ticket.comment.type"] === "internalNote") return { action: "allow", reason: "internal note" };
      if (!text.replace(/<[^>]*>|&nbsp;|\s/g, "")) return { action: "allow", reason: "empty" };
      var payload = { text: text, format: "html", mode: "draft" };
      var name = data["ticket.requester.name"];
      if (name) payload.context = { customer_name: String(name) };
      if (settings.profile) payload.profile = settings.profile;
      return request(client, settings, payload).then(function (result) {
        if (result.verdict === "block") return { action: "cancel", message: blockMessage(result), result: result };
        if (result.verdict === "warn") return { action: "allow", message: warnMessage(result), result: result };
        return { action: "allow", result: result };
      }, function (error) {
        var why = "tonecheck could not check this reply (" + ((error && (error.status || error.statusText)) || "no answer") + ")";
        return settings.fail_closed ? { action: "cancel", message: why + "; try again in a moment." }
                                    : { action: "allow", message: why + "; it was sent unchecked.", error: true };
      });
    });
  }

  function onTicketSave(client) {
    return client.metadata().then(function (meta) {
      return decide(client, (meta && meta.settings) || {});
    }).then(function (decision) {
      if (decision.action === "cancel") return Promise.reject(decision.message);
      if (decision.message) client.invoke("notify", decision.message, decision.error ? "error" : "notice", 8000);
      return true;
    });
  }

  root.TonecheckZendesk = { onTicketSave: onTicketSave, decide: decide, blockMessage: blockMessage };
})(typeof window !== "undefined" ? window : this);
