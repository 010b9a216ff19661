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
 * (a registration token), data-title, data-height (initial height in px),
 * data-fallback-text (the link shown when the widget refuses this page).
 *
 * The iframe resizes itself to its content. Events bubble from the
 * placeholder: signup:registered ({user_id, homeserver}), signup:stage
 * ({stage}), signup:error ({code}, and {code: "embed_refused", reason}
 * when the widget does not answer, below). They come only from the
 * widget's own frame and origin, and the widget sends them only to the
 * origins its operator allowed; no token or password is ever in them.
 *
 * The widget says hello (signup:hello) as soon as its page has loaded.
 * Without a hello within a few seconds of the frame's load, the widget
 * refused this page (its origin is not in embed.allowed_origins: the
 * browser shows its broken-page icon) or cannot be reached: the frame is
 * hidden, a link opens the widget in a new tab instead, and signup:error
 * says why. A late hello puts the frame back.
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
    var fallback = refusal(el, frame, url);
    window.addEventListener("message", function (e) {
      if (e.source !== frame.contentWindow || e.origin !== url.origin) return;
      var d = e.data;
      if (!d || d.source !== "signup" || typeof d.type !== "string" || d.type.indexOf("signup:") !== 0) return;
      var detail = d.detail && typeof d.detail === "object" ? d.detail : {};
      fallback.hello();
      if (d.type === "signup:hello") return;
      if (d.type === "signup:resize") {
        var h = Number(detail.height);
        if (h > 0 && h < 20000) frame.style.height = Math.ceil(h) + "px";
        return;
      }
      el.dispatchEvent(new CustomEvent(d.type, { bubbles: true, detail: detail }));
    });
  }

  // How long after the frame's load event (which fires for a refused
  // frame too) the widget's hello may take, and at most after the frame
  // was added (a frame that never loads).
  var HELLO_AFTER_LOAD = 3000;
  var HELLO_AT_MOST = 20000;

  // refusal watches for the widget's hello; without one it hides the
  // frame, shows a link that opens the widget in a new tab, and fires
  // signup:error. hello() undoes that when the widget answers late.
  function refusal(el, frame, url) {
    var heard = false, shown = null, timer = 0;
    function refuse() {
      if (heard || shown) return;
      frame.style.display = "none";
      var p = document.createElement("p");
      p.setAttribute("data-signup-fallback", "");
      var a = document.createElement("a");
      a.href = url.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = attr(el, "data-fallback-text") || "Open the sign-up page in a new tab";
      p.appendChild(a);
      el.appendChild(p);
      shown = p;
      var reason = "the widget at " + url.origin + " did not answer: this page's origin (" + location.origin +
        ") is probably not in its embed.allowed_origins, or the widget cannot be reached";
      console.warn("signup embed: " + reason);
      el.dispatchEvent(new CustomEvent("signup:error", { bubbles: true, detail: { code: "embed_refused", reason: reason } }));
    }
    function wait(ms) {
      clearTimeout(timer);
      timer = setTimeout(refuse, ms);
    }
    frame.addEventListener("load", function () { if (!heard) wait(HELLO_AFTER_LOAD); });
    wait(HELLO_AT_MOST);
    return {
      hello: function () {
        if (heard) return;
        heard = true;
        clearTimeout(timer);
        if (shown) {
          shown.parentNode.removeChild(shown);
          shown = null;
          frame.style.display = "block";
        }
      },
    };
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
