/*
 * signup embed snippet: puts the Matrix sign-up widget on any page.
 *
 *   <div data-signup></div>
 *   <script src="https://signup.example.org/web/embed.js" async></script>
 *
 * or the <script> alone (the widget appears where the script is). Optional
 * attributes, on the placeholder or the script: data-src (the widget's
 * http(s) URL, relative to the page; default: the site embed.js comes
 * from; any other scheme is refused with a console error),
 * data-homeserver (preselect one of the operator's homeservers), data-token
 * (a registration token), data-title, data-height (initial height in px).
 *
 * The iframe resizes itself to its content. Events bubble from the
 * placeholder: signup:registered ({user_id, homeserver}), signup:stage
 * ({stage}), signup:error ({code}). They come only from the widget's own
 * frame and origin, and the widget sends them only to the origins its
 * operator allowed; no token or password is ever in them.
 * No dependencies, no Go.
 */
(function () {
  "use strict";
  var script = document.currentScript;

  function attr(el, name) {
    return (el && el.getAttribute(name)) || (script && script.getAttribute(name)) || "";
  }

  // widgetURL is the iframe's URL, or null when data-src is not an http(s)
  // URL (resolved against the page first): a javascript: or data: URL
  // would run its own code in the frame.
  function widgetURL(el) {
    var src = attr(el, "data-src");
    var url;
    try {
      url = src ? new URL(src, location.href) : new URL("../", script.src);
    } catch (e) {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      console.error("signup embed: data-src must be an http(s) URL, not " + JSON.stringify(src) + "; no widget shown");
      return null;
    }
    var hs = attr(el, "data-homeserver");
    var token = attr(el, "data-token");
    if (hs) url.searchParams.set("homeserver", hs);
    if (token) url.searchParams.set("token", token);
    return url;
  }

  function mount(el) {
    if (el.getAttribute("data-signup-mounted")) return;
    el.setAttribute("data-signup-mounted", "true");
    var url = widgetURL(el);
    if (!url) return;
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = attr(el, "data-title") || "Create a Matrix account";
    frame.style.width = "100%";
    frame.style.maxWidth = "40rem";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.height = (parseInt(attr(el, "data-height"), 10) || 640) + "px";
    el.appendChild(frame);
    window.addEventListener("message", function (e) {
      if (e.source !== frame.contentWindow || e.origin !== url.origin) return;
      var d = e.data;
      if (!d || d.source !== "signup" || typeof d.type !== "string" || d.type.indexOf("signup:") !== 0) return;
      var detail = d.detail && typeof d.detail === "object" ? d.detail : {};
      if (d.type === "signup:resize") {
        var h = Number(detail.height);
        if (h > 0 && h < 20000) frame.style.height = Math.ceil(h) + "px";
        return;
      }
      el.dispatchEvent(new CustomEvent(d.type, { bubbles: true, detail: detail }));
    });
  }

  function init() {
    var els = document.querySelectorAll("[data-signup]");
    if (els.length === 0 && script && script.parentNode) {
      var div = document.createElement("div");
      div.setAttribute("data-signup", "");
      script.parentNode.insertBefore(div, script);
      els = [div];
    }
    for (var i = 0; i < els.length; i++) mount(els[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
