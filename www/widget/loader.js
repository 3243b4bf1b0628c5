// support-kpi loader: the only script a page includes. It must never harm the
// host page: it keeps calls made before it loaded, records page views
// (including SPA navigation) and, once the page is idle, imports the runtime
// with the WebAssembly engine. Every failure ends in one console message.
(function () {
  var w = window;
  var script = document.currentScript;
  var warned = false;

  /** The single console message a failing widget prints. */
  function fail(error) {
    if (warned) return;
    warned = true;
    try {
      console.warn("[support-kpi] not measuring: " + ((error && error.message) || error));
    } catch (_) {
      // A page without a console: stay silent.
    }
  }

  try {
    var data = script.dataset;
    var stub = w.supportKpi;
    if (stub && stub.started) return; // the widget is already on this page
    var queue = (stub && stub.q) || [];
    var api = function () {
      queue.push(arguments);
    };
    api.q = queue;
    w.supportKpi = api;

    var path = location.pathname;
    /** Queues a page view when the path changed (query and fragment are ignored). */
    var page = function () {
      if (location.pathname !== path || !page.seen) {
        page.seen = true;
        path = location.pathname;
        w.supportKpi("_page", Date.now(), path);
      }
    };
    page();
    ["pushState", "replaceState"].forEach(function (name) {
      var original = history[name];
      history[name] = function () {
        var result = original.apply(this, arguments);
        try {
          page();
        } catch (error) {
          fail(error);
        }
        return result;
      };
    });
    w.addEventListener("popstate", page);

    if (typeof WebAssembly !== "object") return fail("WebAssembly is unavailable");

    var start = function () {
      try {
        // Checked when idle: the first localStorage access of a page can be slow.
        if (w.localStorage.getItem("supportKpi:" + data.site + ":optout")) return;
      } catch (_) {
        // Storage blocked: the runtime works without it.
      }
      import(new URL("widget-runtime.js", script.src).href)
        .then(function (runtime) {
          return runtime.start(data, script.src, queue);
        })
        .catch(fail);
    };
    var idle = function () {
      if (w.requestIdleCallback) w.requestIdleCallback(start, { timeout: 3000 });
      else setTimeout(start, 1);
    };
    if (document.readyState === "complete") idle();
    else w.addEventListener("load", idle);
  } catch (error) {
    fail(error);
  }
})();
