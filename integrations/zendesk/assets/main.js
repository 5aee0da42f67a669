/* Registers the gate with Zendesk. The logic lives in tonecheck-gate.js. */
(function () {
  "use strict";
  var client = ZAFClient.init();
  client.on("ticket.save", function () { return window.TonecheckZendesk.onTicketSave(client); });
  client.invoke("resize", { width: "100%", height: "80px" });
})();
