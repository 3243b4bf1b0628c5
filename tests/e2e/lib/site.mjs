// The fixture support site for widget tests: the repository's fixture pages,
// the built widget under /support-kpi/, and a report endpoint that records
// what arrives (and can be switched to failing).
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { until } from "./page.mjs";
import { startServer } from "./server.mjs";

const ROOT = fileURLToPath(new URL("../fixtures/site", import.meta.url));
const PKG = fileURLToPath(new URL("../../../pkg", import.meta.url));

/**
 * Starts the site. `endpoint.status` (default 202) is what the report
 * endpoint answers; `csp` adds a strict Content-Security-Policy to pages.
 */
export async function startSite({ csp = false } = {}) {
  const endpoint = { status: 202 };
  const server = await startServer(ROOT, {
    mounts: { "/support-kpi/": PKG },
    headers: (path) =>
      csp && path.endsWith(".html") ? { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" } : {},
    routes: {
      "/api/report": (req, res) => {
        const cors = { "access-control-allow-origin": req.headers.origin ?? "*" };
        if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
        res.writeHead(endpoint.status, { ...cors, "content-type": "application/json" }).end("{}");
      },
    },
  });
  /** Bodies of the reports that reached the endpoint, parsed. */
  const reports = () =>
    server.requests.filter((r) => r.path === "/api/report" && r.method === "POST").map((r) => JSON.parse(r.body));
  return { ...server, endpoint, reports };
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
  return fixture;
}
