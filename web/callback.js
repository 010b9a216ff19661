// signup: the callback page of a sign-up that runs in a popup (OAuth 2.0,
// SSO) while the widget is embedded. The authorization server (or the
// homeserver) sends the popup back here with the code and state (or a
// loginToken); this page hands its address to the widget that opened it,
// only when that widget is on this page's own origin, and closes. The
// widget checks the state against the flow it started. This page is
// served without Cross-Origin-Opener-Policy: a popup that comes back from
// another site to a page with that header would lose its opener.
(function () {
  "use strict";
  var opener = window.opener;
  var same = false;
  try {
    // Reading another origin's location throws.
    same = !!opener && opener.location.origin === location.origin;
  } catch (e) {
    same = false;
  }
  if (same) {
    opener.postMessage({ type: "signup:callback", url: location.href }, location.origin);
    window.close();
    return;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var p = document.getElementById("callback-orphan");
    if (p) p.hidden = false;
  });
})();
