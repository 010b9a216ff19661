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
//   mem       the WASM instance's memory (WebAssembly.instantiate* are
//             wrapped to keep it): memBytes() is its size
//   inst      when WebAssembly.instantiate* resolved: the module compiled
//             and instantiated, Go's runtime about to start (the debug
//             log's timelines)
//   res       resource timing entries (url, start, responseEnd)
//   submit    the first submit event (a window listener, capture phase:
//             before the page's own)
//   success   when #success (the welcome panel) appeared
//   keys      once `track` is set: the time of each keydown
//   muts      once `track` is set (window.__benchTrack before this script): the time of each DOM change (each
//             MutationObserver callback, so once per task that changed it)
//   frames    the requestAnimationFrame callbacks after those changes (the
//             frames that paint them), with a short signature of the
//             screen then
(() => {
  if (window.__bench) return;
  const B = (window.__bench = { fcp: null, fp: null, ready: null, usable: null, submit: null, success: null, track: !!window.__benchTrack, res: [], muts: [], frames: [], keys: [] });
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

  // Keep the WASM instance's memory, to read its size after the load.
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const orig = WebAssembly[name];
    if (!orig) continue;
    WebAssembly[name] = async function (...args) {
      const r = await orig.apply(this, args);
      B.inst = performance.now();
      try {
        B.mem = (r.instance || r).exports.mem || null;
      } catch (e) {}
      return r;
    };
  }
  B.memBytes = () => (B.mem && B.mem.buffer ? B.mem.buffer.byteLength : null);

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
    return parts.join(" / ");
  };
  let framePending = false;
  new MutationObserver(() => {
    const t = performance.now();
    if (B.ready === null && isReady()) B.ready = t;
    if (B.success === null && document.getElementById("success")) B.success = t;
    if (!B.track || B.muts.length > 20000) return;
    B.muts.push(t);
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      B.frames.push({ t: performance.now(), sig: sig() });
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  window.addEventListener("submit", () => { if (B.submit === null) B.submit = performance.now(); }, true);
  document.addEventListener("keydown", () => { if (B.track) B.keys.push(performance.now()); }, true);

  const tick = () => {
    if (B.usable !== null) return;
    if (B.fcp === null) {
      const p = performance.getEntriesByName("first-contentful-paint");
      if (p.length) B.fcp = p[0].startTime;
    }
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
