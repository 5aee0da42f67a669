/* Registers the gate with Freshdesk. The logic lives in tonecheck-gate.js. */
document.addEventListener("DOMContentLoaded", function () {
  app.initialized().then(function (client) {
    client.events.on("ticket.sendReply", function (event) {
      window.TonecheckFreshdesk.onSendReply(client, event);
    }, { intercept: true });
  });
});
