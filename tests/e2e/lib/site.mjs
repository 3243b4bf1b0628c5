// The fixture support site for widget tests: the repository's fixture pages,
// the built widget under /support-kpi/, the fake chat vendors under /fakes/, and a report endpoint that records
// what arrives (and can be switched to failing).
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { until } from "./page.mjs";
import { startServer } from "./server.mjs";

const ROOT = fileURLToPath(new URL("../fixtures/site", import.meta.url));
const PKG = fileURLToPath(new URL("../../../pkg", import.meta.url));
const FAKES = fileURLToPath(new URL("../fakes", import.meta.url));

/**
 * Starts the site. `endpoint.status` (default 202) is what the report
 * endpoint answers; `csp` adds a strict Content-Security-Policy to pages.
 */
export async function startSite({ csp = false } = {}) {
  const endpoint = { status: 202 };
  /** Each report POST with the status it was answered. */
  const answered = [];
  const server = await startServer(ROOT, {
    mounts: { "/support-kpi/": PKG, "/fakes/": FAKES },
    headers: (path) =>
      csp && (path.endsWith(".html") || path.endsWith("/")) ? { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" } : {},
    routes: {
      "/api/report": (req, res, body) => {
        const cors = { "access-control-allow-origin": req.headers.origin ?? "*" };
        if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
        if (req.method === "POST") answered.push({ status: endpoint.status, body });
        res.writeHead(endpoint.status, { ...cors, "content-type": "application/json" }).end("{}");
      },
    },
  });
  /** `{ status, report }` of each report POST, in order of arrival, the report parsed. */
  const answers = () => answered.map((a) => ({ status: a.status, report: JSON.parse(a.body) }));
  /** Bodies of the reports that reached the endpoint (refused ones too), parsed. */
  const reports = () => answers().map((a) => a.report);
  return { ...server, endpoint, reports, answers };
}

/** Waits until the widget on `page` has started (the runtime replaced the queue stub). */
export function widgetStarted(page) {
  return page.waitForFunction(() => window.supportKpi?.started === true, null, { timeout: 60_000 });
}

/** The widget's live KPIs on `page` (through `supportKpi('onKpis')`). */
export function liveKpis(page) {
  return page.evaluate(() => new Promise((resolve) => window.supportKpi("onKpis", resolve)));
}

/**
 * Records the widget's events on `page` (through `supportKpi('onEvent')`)
 * and resolves once one of `type` was tracked.
 */
export async function tracked(page, type) {
  await page.evaluate(() => {
    if (window.trackedTypes) return;
    window.trackedTypes = [];
    window.supportKpi("onEvent", (event) => window.trackedTypes.push(event.type));
  });
  await page.waitForFunction((wanted) => window.trackedTypes.includes(wanted), type, { timeout: 10_000 });
}

/**
 * Makes the help pages `context` loads from `site` carry `attributes` on the
 * widget's script tag (e.g. `data-storage="memory"`).
 */
export function withAttributes(context, site, attributes) {
  return context.route(`${site.url}/help/**`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('data-site="acme-help"', `data-site="acme-help" ${attributes}`);
    await route.fulfill({ response, body: html });
  });
}

/** Where countReportsSent keeps its count: the site origin's localStorage of the context. */
const SENT_KEY = "e2e:reportsSent";

/**
 * Makes the pages of `context` count the reports they hand to the browser
 * (`fetch` with a URL or a `Request`, `sendBeacon` or `XMLHttpRequest`, to
 * /api/report) in localStorage, synchronously, so the count holds reports
 * sent while a page unloads too: a test then waits until every report sent
 * has arrived (`fixture.arrived`) instead of waiting for a while. (Workers
 * are not counted: the widget starts none.)
 */
export function countReportsSent(context) {
  return context.addInitScript((key) => {
    const isReport = (url) => String(url?.url ?? url).includes("/api/report");
    const count = () => {
      try {
        localStorage.setItem(key, String(Number(localStorage.getItem(key)) + 1));
      } catch {
        // A test that blocks storage does not count.
      }
    };
    const { fetch } = window;
    window.fetch = function (resource, init) {
      const method = init?.method ?? (resource instanceof Request ? resource.method : "GET");
      if (isReport(resource) && method.toUpperCase() === "POST") count();
      return fetch.apply(this, arguments);
    };
    const beacon = navigator.sendBeacon?.bind(navigator);
    if (beacon) navigator.sendBeacon = (url, body) => (isReport(url) && count(), beacon(url, body));
    const { open, send } = XMLHttpRequest.prototype;
    XMLHttpRequest.prototype.open = function (method, url) {
      this.isReport = isReport(url) && String(method).toUpperCase() === "POST";
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      if (this.isReport) count();
      return send.apply(this, arguments);
    };
  }, SENT_KEY);
}

/**
 * For one test file: a browser, the fixture site, and a page on another
 * origin to leave to. Returns an object whose `browser`, `site` and
 * `elsewhere` are set once the file's `before` hook ran.
 */
export function useSite() {
  const fixture = {};
  before(async () => {
    fixture.browser = await launch();
    fixture.site = await startSite();
    fixture.elsewhere = await startServer(fileURLToPath(new URL("../fixtures", import.meta.url)));
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.site?.close();
    await fixture.elsewhere?.close();
  });
  /** Leaves the site for another origin and waits until `count` reports arrived in all. */
  fixture.leave = async (page, count) => {
    await page.goto(`${fixture.elsewhere.url}/blank.html`);
    await until(() => fixture.site.reports().length >= count, `${count} report(s)`);
  };
  /** The number of reports the pages of `context` sent (see countReportsSent), read by a page of the site without the widget. */
  fixture.sentBy = async (context) => {
    const probe = await context.newPage();
    await probe.goto(`${fixture.site.url}/blank.html`);
    const sent = await probe.evaluate((key) => Number(localStorage.getItem(key)), SENT_KEY);
    await probe.close();
    return sent;
  };
  /**
   * Waits until every report the pages of `context` sent has arrived,
   * counting from `before` reports; returns the reports since then.
   */
  fixture.arrived = async (context, before) => {
    const sent = await fixture.sentBy(context);
    await until(() => fixture.site.reports().length - before >= sent, `${sent} report(s) sent`);
    return fixture.site.reports().slice(before);
  };
  return fixture;
}
