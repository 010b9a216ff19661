// Injected by the benchmark into every new document (CDP
// Page.addScriptToEvaluateOnNewDocument), before the page's own scripts.
// It records, in window.__bench, times relative to the navigation start
// (performance.now()):
//   fcp, fp   first (contentful) paint, from PerformanceObserver paint entries
//   ready     when #signup[data-ready="true"] appeared: the WASM app took
//             over the pre-rendered form (MutationObserver, so the very
//             microtask after go-app's DOM change)
//   usable    the first animation frame, after the first contentful paint,
//             in which #username is on screen and hit-testable (not under
//             go-app's loading overlay): the user can click and type
//   res       resource timing entries (url, start, responseEnd)
//   frames    once `track` is set: for each burst of DOM changes, the time
//             of the change and of the next requestAnimationFrame callback
//             (the frame that paints it), with a short signature of the
//             screen then
(() => {
  if (window.__bench) return;
  const B = (window.__bench = { fcp: null, fp: null, ready: null, usable: null, track: false, res: [], frames: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === "first-contentful-paint") B.fcp = e.startTime;
        if (e.name === "first-paint") B.fp = e.startTime;
      }
    }).observe({ type: "paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        B.res.push({ url: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd });
      }
    }).observe({ type: "resource", buffered: true });
  } catch (e) {}

  const isReady = () => {
    const m = document.getElementById("signup");
    return !!m && m.getAttribute("data-ready") === "true";
  };
  const text = (id) => {
    const e = document.getElementById(id);
    return e ? (e.textContent || "").trim().slice(0, 60) : "";
  };
  const sig = () => {
    if (document.getElementById("success")) return "success";
    const t = text("stage-title");
    const parts = [t || "form"];
    if (document.getElementById("email-sent")) parts.push("email sent");
    const s = text("username-status");
    if (!t && s) parts.push("username: " + s);
    return parts.join(" / ");
  };
  let pending = null;
  new MutationObserver(() => {
    const t = performance.now();
    if (B.ready === null && isReady()) B.ready = t;
    if (!B.track || pending) return;
    pending = { mut: t };
    requestAnimationFrame(() => {
      pending.frame = performance.now();
      pending.sig = sig();
      B.frames.push(pending);
      pending = null;
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  const tick = () => {
    if (B.usable !== null) return;
    const u = document.getElementById("username");
    if (u && B.fcp !== null) {
      const r = u.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (hit === u) {
          B.usable = performance.now();
          return;
        }
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
