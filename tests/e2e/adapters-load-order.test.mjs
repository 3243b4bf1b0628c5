// Every chat vendor adapter in the three load orders a site produces: the
// vendor loads before the widget starts (at DOMContentLoaded, before the
// widget's idle start), after it (the adapter attaches to the vendor's stub
// or finds the vendor late), or the widget's adapter chunk arrives late (held
// by the test while the page registers another handler, calls the page API
// and agents come online). Each page (generated here from the vendor's fake in
// tests/e2e/fakes/) registers its own handlers, one before the vendor loads
// where the vendor's stub queues them and one after; each run checks that a
// chat counts, that the page's handlers all ran, and, for the vendors that
// expose it, that the availability at load was read (agents are offline at
// load, so a page view that counts offline can only come from the vendor;
// the opening hours are "always open").
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launch } from "./lib/browser.mjs";
import { until } from "./lib/page.mjs";
import { startServer } from "./lib/server.mjs";
import { liveKpis, widgetStarted } from "./lib/site.mjs";

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const ratio = (num, den) => ({ num, den, value: den === 0 ? null : Math.round((num / den) * 1e6) / 1e6 });
const FIRST_REPLY_MS = 400;

/**
 * Per vendor: `snippet`, the install code that runs before the vendor loads;
 * `init`, what the page runs once the vendor's script has loaded; `early`,
 * the page's handler of the chat opening (registered with the snippet where
 * the vendor queues calls, `queued`, else right after the vendor loaded);
 * `late`, the page's handler of agent replies, registered after the vendor
 * loaded; `availability`, whether the vendor exposes the availability at load;
 * `visitorMessages`, whether it reports the visitor's messages (else the page
 * does, with `supportKpi('chat', 'customer_message')`).
 */
const VENDORS = {
  livechat: {
    queued: true,
    availability: true,
    visitorMessages: true,
    early: `LiveChatWidget.on("visibility_changed", function (d) { if (d.visibility === "maximized") pageCalls.push("open"); });`,
    late: `LiveChatWidget.on("new_event", function (e) { if (e.author.type === "agent") pageCalls.push("agent"); });`,
  },
  tawk: {
    queued: true,
    availability: true,
    visitorMessages: true,
    snippet: `var Tawk_API = Tawk_API || {}, Tawk_LoadStart = new Date();`,
    early: `Tawk_API.onChatMaximized = function () { pageCalls.push("open"); };`,
    late: `Tawk_API.onChatMessageAgent = function () { pageCalls.push("agent"); };`,
  },
  crisp: {
    queued: true,
    availability: true,
    visitorMessages: true,
    snippet: `window.$crisp = []; window.CRISP_WEBSITE_ID = "00000000-0000-0000-0000-000000000000";`,
    early: `$crisp.push(["on", "session:loaded", function () { pageCalls.push("loaded"); }]);
            $crisp.push(["on", "chat:opened", function () { pageCalls.push("open"); }]);
            $crisp.push(["on", "message:sent", function () { pageCalls.push("sent"); }]);`,
    late: `$crisp.push(["on", "message:received", function () { pageCalls.push("agent"); }]);`,
    pageCalls: ["loaded", "open", "sent", "agent"],
  },
  intercom: {
    queued: true,
    snippet: `(function () { var i = function () { i.c(arguments); }; i.q = []; i.c = function (a) { i.q.push(a); }; window.Intercom = i; })();
              Intercom("boot", { app_id: "abc12345" });`,
    early: `Intercom("onShow", function () { pageCalls.push("open"); });`,
    late: `Intercom("onUnreadCountChange", function (count) { if (count > 0) pageCalls.push("agent"); });`,
  },
  zendesk: {
    early: `zE("messenger:on", "open", function () { pageCalls.push("open"); });`,
    late: `zE("messenger:on", "unreadMessages", function (count) { if (count > 0) pageCalls.push("agent"); });`,
  },
  chatwoot: {
    visitorMessages: true,
    init: `chatwootSDK.run({ websiteToken: "token", baseUrl: "https://app.chatwoot.example" });`,
    early: `addEventListener("chatwoot:opened", function () { pageCalls.push("open"); });`,
    late: `addEventListener("chatwoot:on-message", function (e) { if (e.detail.message_type === 1) pageCalls.push("agent"); });`,
  },
  freshchat: {
    visitorMessages: true,
    init: `fcWidget.init({ token: "token", host: "https://wchat.freshchat.com" });`,
    early: `fcWidget.on("widget:opened", function () { pageCalls.push("open"); });`,
    late: `fcWidget.on("message:received", function () { pageCalls.push("agent"); });`,
  },
};
const ORDERS = ["before", "after", "delayed"];

/** The fixture page of `vendor` for `order`: the vendor loads at DOMContentLoaded unless "after". */
function vendorPage(vendor, order) {
  const spec = VENDORS[vendor];
  const load = `__fakeChat.load({ online: false }); ${spec.init ?? ""} ${spec.queued ? "" : spec.early}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${vendor}, vendor ${order}</title>
<script>window.pageCalls = []; ${spec.snippet ?? ""}</script>
<script src="/fakes/common.js"></script>
<script src="/fakes/${vendor}.js"></script>
<script>
  ${spec.queued ? spec.early : ""}
  window.loadVendor = function () { ${load} };
  ${order === "after" ? "" : 'document.addEventListener("DOMContentLoaded", loadVendor);'}
</script>
<script defer src="/support-kpi/widget.js" data-site="acme-help" data-endpoint="/api/report" data-chat="auto"
        data-goals="held" data-allow-automation></script>
</head><body><h1>Help</h1></body></html>`;
}

let server;
let browser;

before(async () => {
  server = await startServer(path("fixtures/site"), {
    mounts: { "/support-kpi/": path("../../pkg"), "/fakes/": path("fakes") },
    routes: {
      "/api/report": (req, res) => res.writeHead(202, { "content-type": "application/json" }).end("{}"),
      "/order": (req, res) => {
        const query = new URL(req.url, "http://x").searchParams;
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(vendorPage(query.get("vendor"), query.get("order")));
      },
    },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The live KPIs once `accept(kpis)` holds; fails naming `what` after 10 s. */
async function kpisWhen(page, accept, what) {
  let kpis;
  await until(async () => accept((kpis = await liveKpis(page))), what, 10_000);
  return kpis;
}

/** Opens the page of `vendor` in `order`, up to the adapter attached; returns the page and its errors. */
async function openInOrder(context, vendor, order) {
  const spec = VENDORS[vendor];
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.clock.install();
  let release = () => {};
  let requested = Promise.resolve();
  if (order === "delayed") {
    const held = new Promise((resolve) => (release = resolve));
    const chunk = new RegExp(`/widget-adapter-${vendor}-[^/]*\\.js$`);
    requested = new Promise((resolve) =>
      page.route(chunk, async (route) => {
        resolve();
        await held;
        await route.continue();
      }),
    );
  }
  await page.goto(`${server.url}/order?vendor=${vendor}&order=${order}`);
  if (order === "after") {
    await widgetStarted(page);
    await page.evaluate(() => window.loadVendor());
    await page.evaluate(spec.late);
  } else if (order === "delayed") {
    await requested;
    await page.evaluate(spec.late);
    // A page API call while the widget waits for its adapter still counts.
    await page.evaluate(() => supportKpi("conversion", "held"));
    if (spec.availability) await page.evaluate(() => window.__fakeChat.agentOnline());
    release();
    await widgetStarted(page);
  } else {
    await widgetStarted(page);
    await page.evaluate(spec.late);
  }
  // The launcher selector comes from the adapter alone: an impression means it attached.
  await kpisWhen(page, (k) => k.engagement.chatEngagementRatio.den >= 1, "the adapter's launcher impression");
  return { page, errors };
}

/** Presence after a run: the page views and how many were online. */
function expectedPresence(spec, order) {
  if (!spec.availability) return order === "after" ? ratio(2, 2) : ratio(1, 1);
  // before: offline at load, read before the first page view; after: the first
  // page view is by the opening hours, the next one offline by the vendor;
  // delayed: agents came online while the chunk was held.
  return { before: ratio(0, 1), after: ratio(1, 2), delayed: ratio(1, 1) }[order];
}

describe("chat vendor adapters in every load order", { concurrency: 3 }, () => {
  for (const [vendor, spec] of Object.entries(VENDORS)) {
    for (const order of ORDERS) {
      it(`${vendor}, vendor ${order === "delayed" ? "before and the adapter chunk late" : `${order} the widget`}`, async () => {
        const context = await browser.newContext();
        try {
          const { page, errors } = await openInOrder(context, vendor, order);
          const fake = (name) => page.evaluate((n) => window.__fakeChat[n](), name);
          if (order === "after") await page.evaluate(() => history.pushState({}, "", "/order/next"));
          await fake("open");
          if (vendor === "intercom" || vendor === "zendesk") await fake("close"); // unread counts rise while closed
          if (spec.visitorMessages) await fake("visitorSays");
          else await page.evaluate(() => supportKpi("chat", "customer_message"));
          await page.clock.fastForward(FIRST_REPLY_MS);
          await fake("agentSays");
          const kpis = await liveKpis(page);
          assert.equal(kpis.productivity.chatsStarted, 1, "one chat");
          assert.deepEqual(kpis.productivity.messagesPerChat, ratio(2, 1), "one customer and one agent message");
          assert.ok(kpis.speed.firstResponse.mean >= FIRST_REPLY_MS / 1000, `first response ${kpis.speed.firstResponse.mean} s`);
          assert.deepEqual(kpis.availability.presence, expectedPresence(spec, order), "presence");
          if (order === "delayed") assert.equal(kpis.contribution.conversions.byGoal.held?.count, 1, "the call made while the chunk was held");
          assert.deepEqual(await page.evaluate(() => window.pageCalls), spec.pageCalls ?? ["open", "agent"], "the page's own handlers ran");
          assert.deepEqual(errors, [], "no page error");
        } finally {
          await context.close();
        }
      });
    }
  }
});
