// support-kpi loader: the only script a page includes. It must never harm the
// host page: it keeps calls made before it loaded, records page views
// (including SPA navigation) and, once the page is idle, imports the runtime
// with the WebAssembly engine, checked against the hash the build put here,
// and fetches the site time zone's offsets beside them (nothing for a visitor
// who opted out). Every failure ends in one console message.
//
// RUNTIME and ENGINE are [file name, integrity] of the runtime and of the
// Wasm engine, ZONES the hash of the time-zone tables' names, defined by the
// build.
/* global RUNTIME, ENGINE, ZONES */
import { watchCrisp } from "./adapters/crisp-callbacks.js";
import { lastConsent } from "./queued.js";
import { zoneFile } from "./zone-file.js";

(function () {
  var w = window;
  var nav = navigator;
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

  /** The automation signal this browser shows, if any (README lists them). */
  function automation() {
    if (nav.webdriver) return "navigator.webdriver";
    if (/HeadlessChrome/.test(nav.userAgent)) return "HeadlessChrome";
    var globals = ["_phantom", "callPhantom", "__nightmare", "Cypress", "domAutomation"];
    for (var i = 0; i < globals.length; i++) if (globals[i] in w) return globals[i];
    return null;
  }

  try {
    var data = script.dataset;
    var stub = w.supportKpi;
    if (stub && stub.started) return; // the widget is already on this page
    var queue = stub && Array.isArray(stub.q) ? stub.q : [];
    var api = function () {
      queue.push(arguments);
    };
    api.q = queue;
    w.supportKpi = api;

    var automated = !("allowAutomation" in data) && automation();
    if (automated) return fail("an automated browser (" + automated + "); data-allow-automation measures it");
    if (typeof WebAssembly !== "object") return fail("WebAssembly is unavailable");
    try {
      // Crisp keeps one callback per event: see the page's before Crisp takes them.
      watchCrisp(w);
    } catch (_) {
      // An odd $crisp on the page: the Crisp adapter then measures without the page's callbacks.
    }

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

    var url = new URL(RUNTIME[0], script.src).href;
    /** Resolves with the engine's compiled module: fetched and compiled while the runtime loads, streaming where the browser can. */
    var compileEngine = function () {
      var get = function () {
        return fetch(new URL(ENGINE[0], script.src).href, { integrity: ENGINE[1] })
          .then(function (response) {
            if (!response.ok) throw response;
            return response;
          })
          .catch(function () {
            throw new Error(ENGINE[0] + " failed to load or does not match its integrity hash");
          });
      };
      var compiled = get().then(function (response) {
        // A server that does not send application/wasm, or no compileStreaming:
        // compiled from the bytes, fetched again from the HTTP cache (a clone
        // of the response would hold a second copy of them for the common case).
        return new Promise(function (resolve) {
          resolve(WebAssembly.compileStreaming(response));
        }).catch(function () {
          return get()
            .then(function (again) {
              return again.arrayBuffer();
            })
            .then(WebAssembly.compile);
        });
      });
      compiled.catch(function () {}); // the runtime reports it, if it gets that far
      return compiled;
    };
    /**
     * Resolves with the site time zone's offset table (parsed, unchecked: the
     * runtime checks it), or null when there is none to fetch or it failed.
     */
    var fetchZone = function () {
      var file = zoneFile(data.timeZone, ZONES);
      if (!file) return Promise.resolve(null);
      return fetch(new URL(file, script.src).href)
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    };
    var load = function (engine, zone) {
      import(url)
        .then(function (runtime) {
          return runtime.start(data, script.src, queue, engine, zone);
        })
        .catch(fail);
    };
    var start = function () {
      try {
        // Only where the site lets the widget use the device's storage (where
        // consent is required, once the page queued it); checked when idle, as
        // the first localStorage access of a page can be slow. An opted-out
        // visitor's page fetches nothing.
        var mayRead = data.consent === undefined || lastConsent(queue) === true;
        if (mayRead && (data.storage === undefined || data.storage === "local") && w.localStorage.getItem("supportKpi:" + data.site + ":optout")) return;
      } catch (_) {
        // Storage blocked, or an unreadable queued call: the runtime sorts it out.
      }
      // The check and each request in a task of its own: together, or the
      // three requests in one idle callback, they made a long task on a
      // slow device.
      nextTask(fetchAll);
    };
    /** Fetches the engine, the zone table and the runtime, one per task, then starts the runtime. */
    var fetchAll = function () {
      // The runtime is fetched once, as a module preload checked against its
      // hash; the import then takes the module the preload verified.
      var link = document.createElement("link");
      // A browser that cannot preload modules cannot check their hashes either.
      if (!link.relList.supports("modulepreload")) return fail("no modulepreload to check the runtime's integrity");
      link.rel = "modulepreload";
      link.href = url;
      link.integrity = RUNTIME[1];
      var engine = compileEngine();
      nextTask(function () {
        var zone = fetchZone();
        nextTask(function () {
          link.onload = function () {
            link.remove();
            load(engine, zone);
          };
          link.onerror = function () {
            link.remove();
            fail(RUNTIME[0] + " failed to load or does not match its integrity hash");
          };
          document.head.appendChild(link);
        });
      });
    };
    /** Runs `step` in a task of its own, at background priority where the browser has `scheduler.postTask`. */
    var nextTask = function (step) {
      var run = function () {
        try {
          step();
        } catch (error) {
          fail(error);
        }
      };
      if (w.scheduler && w.scheduler.postTask) w.scheduler.postTask(run, { priority: "background" });
      else setTimeout(run);
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
