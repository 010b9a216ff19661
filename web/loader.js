// signup: the page's only script besides go-app's. Before the WASM app
// takes over it (1) draws the download progress as a thin branded bar and
// (2) holds a submit of the pre-rendered form and replays it once the app is
// ready, so nothing typed is lost and no password leaves in a plain POST.
(function () {
  "use strict";
  var pending = false;

  function ready() {
    var root = document.getElementById("signup");
    return !!root && root.getAttribute("data-ready") === "true";
  }

  // The page's language's texts, which the server writes as <meta>
  // (internal/server, loaderTexts); English when absent.
  function phrase(name, fallback) {
    var m = document.querySelector('meta[name="signup:' + name + '"]');
    return (m && m.getAttribute("content")) || fallback;
  }

  function say(text) {
    var slot = document.getElementById("form-error");
    if (slot) {
      slot.textContent = text;
      slot.className = "alert alert--info";
    }
  }

  document.addEventListener("submit", function (e) {
    if (ready()) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    pending = true;
    var btn = document.getElementById("submit");
    if (btn) btn.setAttribute("aria-busy", "true");
    say(phrase("loading-pending", "Still loading, one moment… your account will be created as soon as the page is ready."));
  }, true);

  // go-app rewrites the label for every chunk of app.wasm it receives,
  // the same percentage many times over: only a new one is drawn.
  var shown = -1;

  function progress() {
    var loader = document.getElementById("app-wasm-loader");
    var label = document.getElementById("app-wasm-loader-label");
    if (!loader || !label) return;
    var m = /(\d+)/.exec(label.textContent || "");
    var p = m ? Math.min(100, parseInt(m[1], 10)) : 0;
    if (p === shown) return;
    shown = p;
    loader.style.setProperty("--progress", p + "%");
    // The progressbar is the label (a <p>): go-app's loader is an <aside>,
    // a landmark, which may not take the progressbar role.
    label.setAttribute("role", "progressbar");
    label.setAttribute("aria-label", phrase("loading-app", "Loading the app"));
    label.setAttribute("aria-valuenow", String(p));
    label.setAttribute("aria-valuemin", "0");
    label.setAttribute("aria-valuemax", "100");
  }

  // The service worker's first install waits for this (see the worker in
  // internal/server/worker.go): the page is interactive, so caching the app
  // no longer competes with its start.
  function tellWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.getRegistration().then(function (r) {
      if (!r) return;
      var post = function () {
        if (r.installing) r.installing.postMessage("signup:ready");
      };
      post();
      r.addEventListener("updatefound", post);
    }).catch(function () {});
  }

  function start() {
    progress();
    var label = document.getElementById("app-wasm-loader-label");
    if (label) {
      new MutationObserver(progress).observe(label, { childList: true, characterData: true, subtree: true });
    }
    var told = false;
    new MutationObserver(function () {
      if (!told && ready()) {
        told = true;
        tellWorker();
      }
      if (pending && ready()) {
        pending = false;
        var btn = document.getElementById("submit");
        if (btn) btn.click();
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
  }

  // Embedding: messages go only to the parent page, and only when its
  // origin is one the operator allowed (embed.allowed_origins); never "*".
  function allowedOrigins() {
    if (Array.isArray(window.signupAllowedOrigins)) return window.signupAllowedOrigins;
    try {
      var c = JSON.parse((typeof goappGetenv === "function" && goappGetenv("SIGNUP_CONFIG")) || "{}");
      return (c.embed && c.embed.allowed_origins) || [];
    } catch (e) {
      return [];
    }
  }

  function parentOrigin() {
    if (window.parent === window) return null;
    var o = null;
    if (location.ancestorOrigins && location.ancestorOrigins.length) {
      o = location.ancestorOrigins[0];
    } else if (document.referrer) {
      try { o = new URL(document.referrer).origin; } catch (e) { o = null; }
    }
    if (!o) return null;
    // The widget's own site may always frame it (frame-ancestors 'self').
    if (o === location.origin) return o;
    var allowed = allowedOrigins();
    for (var i = 0; i < allowed.length; i++) {
      if (String(allowed[i]).replace(/\/$/, "") === o) return o;
    }
    return null;
  }

  window.signupNotify = function (type, detail) {
    var o = parentOrigin();
    if (!o) return;
    var d = {};
    for (var k in detail || {}) {
      if (k !== "access_token" && k !== "password") d[k] = String(detail[k]);
    }
    window.parent.postMessage({ source: "signup", type: String(type), detail: d }, o);
  };

  if (window.parent !== window) document.documentElement.classList.add("embedded");

  // Hello to an embedding page (embed.js): without it, embed.js takes the
  // frame for refused and offers a link instead.
  function hello() {
    if (window.parent !== window) window.signupNotify("signup:hello", {});
  }

  function watchSize() {
    if (window.parent === window || typeof ResizeObserver !== "function") return;
    var last = 0;
    new ResizeObserver(function () {
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h !== last) {
        last = h;
        window.signupNotify("signup:resize", { height: h });
      }
    }).observe(document.documentElement);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
    document.addEventListener("DOMContentLoaded", watchSize);
    document.addEventListener("DOMContentLoaded", hello);
  } else {
    start();
    watchSize();
    hello();
  }
})();
