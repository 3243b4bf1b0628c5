// The chat vendor adapters end to end in Chromium: each page under
// fixtures/site/vendors/ loads a fake of one vendor's documented page API
// (tests/e2e/fakes/), a chat handler of the page's own and the widget with
// data-chat="auto". A test drives the fake through a chat as far as the
// vendor documents it and checks the widget's live KPIs, that the page's
// handlers still ran, and that the page saw no error.
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
 * What each vendor's chat must produce beyond what every chat shows (see
 * `checkChat`): presence over three page views when the vendor reports
 * availability (else one page view, online by the default schedule), FCR,
 * CSAT, open conversations, and the calls the page's own handlers recorded.
 * `afterLoad` and `between` run in the page (after the vendor loaded; between
 * the two exchanges): the page registering or removing a handler late.
 */
const VENDORS = {
  livechat: {
    presence: ratio(2, 3),
    fcr: ratio(0, 0),
    csat: ratio(1, 1),
    openConversations: 0,
    pageCalls: [["visibility_changed", "maximized"]],
  },
  intercom: {
    presence: ratio(1, 1),
    fcr: ratio(0, 0),
    csat: ratio(0, 0),
    openConversations: 1,
    pageCalls: [["onShow"]],
  },
  zendesk: {
    presence: ratio(1, 1),
    fcr: ratio(0, 0),
    csat: ratio(0, 0),
    openConversations: 1,
    pageCalls: [["open", "messagingOpened"]],
  },
  crisp: {
    presence: ratio(2, 3),
    fcr: ratio(0, 0),
    csat: ratio(0, 0),
    openConversations: 1,
    afterLoad: () =>
      window.$crisp.push(["on", "message:received", (message) => pageCalls.push(["message:received", message.content])]),
    between: () => window.$crisp.push(["off", "message:received"]),
    pageCalls: [["chat:opened"], ["message:received", "Hi!"]],
  },
  tawk: {
    presence: ratio(2, 3),
    fcr: ratio(0, 0),
    csat: ratio(1, 1),
    openConversations: 0,
    afterLoad: () => {
      Tawk_API.onChatMessageAgent = function (message) {
        pageCalls.push(["onChatMessageAgent", message, this === Tawk_API]);
      };
    },
    pageCalls: [
      ["onChatMaximized", true],
      ["onChatMessageAgent", "Hi!", true],
      ["onChatMessageAgent", "Hi!", true],
    ],
  },
  chatwoot: {
    presence: ratio(1, 1),
    fcr: ratio(0, 0),
    csat: ratio(0, 0),
    openConversations: 1,
    pageCalls: [["chatwoot:opened"]],
  },
  freshchat: {
    presence: ratio(1, 1),
    fcr: ratio(0, 0),
    csat: ratio(0, 0),
    openConversations: 1,
    pageCalls: [["widget:opened"]],
  },
};

let server;
let browser;

before(async () => {
  server = await startServer(path("fixtures/site"), {
    mounts: { "/support-kpi/": path("../../pkg"), "/fakes/": path("fakes") },
    routes: { "/api/report": (req, res) => res.writeHead(202, { "content-type": "application/json" }).end("{}") },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens a vendor's fixture page in a fresh context (its own localStorage) and
 * waits for the widget. Records page errors and the widget's console warnings.
 * The page's clock is Playwright's: it runs, and a test moves it forward
 * where a KPI is about time.
 */
async function openVendorPage(vendor) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install();
  const errors = [];
  const warnings = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.text().startsWith("[support-kpi]") && warnings.push(message.text()));
  await page.goto(`${server.url}/vendors/${vendor}.html`);
  await widgetStarted(page);
  const hooks = await page.evaluate(() => Object.keys(window.__fakeChat));
  /** Calls `window.__fakeChat[name](...args)` in the page. */
  const fake = (name, ...args) => page.evaluate(([n, a]) => window.__fakeChat[n](...a), [name, args]);
  return { page, errors, warnings, fake, has: (name) => hooks.includes(name), close: () => context.close() };
}

/** The live KPIs once `accept(kpis)` holds; fails naming `what` after 10 s. */
async function kpisWhen(page, accept, what) {
  let kpis;
  await until(async () => accept((kpis = await liveKpis(page))), what, 10_000);
  return kpis;
}

/** An SPA navigation: one more page view. */
const navigate = (page, to) => page.evaluate((path) => history.pushState({}, "", path), to);

/**
 * Drives the fake through a chat as far as its vendor documents: the vendor
 * loads, its launcher is viewable for over a second, agents go online and
 * away (two more page views), the chat opens, two exchanges (the first reply
 * after FIRST_REPLY_MS), the chat ends and is rated. Where the vendor has no
 * visitor-message event the page reports the customer's messages itself
 * (`supportKpi('chat', 'customer_message')`). Returns the final KPIs.
 */
async function driveChat(tab, spec, vendor) {
  const { page, fake, has } = tab;
  const customerSays = () =>
    has("visitorSays") ? fake("visitorSays") : page.evaluate(() => supportKpi("chat", "customer_message"));
  if (has("load")) await fake("load");
  if (spec.afterLoad) await page.evaluate(spec.afterLoad);
  await kpisWhen(page, (k) => k.engagement.chatEngagementRatio.den === 1, "one launcher impression");
  await page.clock.fastForward(2000); // the launcher stays in view
  assert.equal((await liveKpis(page)).engagement.chatEngagementRatio.den, 1, "one impression per page view");
  if (has("agentOnline")) {
    await fake("agentOnline");
    await navigate(page, `/vendors/${vendor}/online`);
    await fake("agentOffline");
    await navigate(page, `/vendors/${vendor}/away`);
  }
  await fake("open");
  if (has("close")) await fake("close"); // unread counts only rise while the window is closed
  if (has("startConversation")) await fake("startConversation");
  await customerSays();
  await page.clock.fastForward(FIRST_REPLY_MS);
  await fake("agentSays");
  if (spec.between) await page.evaluate(spec.between);
  await customerSays();
  await page.clock.fastForward(50);
  await fake("agentSays");
  if (has("update")) await fake("update"); // the same message again must not count twice
  if (has("activity")) await fake("activity");
  if (has("end")) await fake("end");
  if (has("rate")) await fake("rate", true);
  return liveKpis(page);
}

/** The KPIs every driven chat has, and the vendor-specific ones of `spec`. */
function checkChat(kpis, spec) {
  assert.deepEqual(kpis.engagement.openToStart, ratio(1, 1), "one chat opened, one started");
  assert.equal(kpis.productivity.chatsStarted, 1);
  assert.deepEqual(kpis.productivity.messagesPerChat, ratio(4, 1), "2 customer and 2 agent messages");
  assert.equal(kpis.speed.firstResponse.count, 1);
  assert.ok(kpis.speed.firstResponse.mean >= FIRST_REPLY_MS / 1000, `first response ${kpis.speed.firstResponse.mean} s`);
  assert.equal(kpis.speed.response.count, 2);
  assert.deepEqual(kpis.prevention.abandonmentRate, ratio(0, 1));
  assert.deepEqual(kpis.availability.presence, spec.presence, "presence");
  assert.deepEqual(kpis.prevention.fcr, spec.fcr, "FCR");
  assert.equal(kpis.speed.resolution.count, spec.fcr.num, "resolution time of resolved chats");
  assert.deepEqual(kpis.friendliness.csat, spec.csat, "CSAT");
  assert.equal(kpis.productivity.openConversations, spec.openConversations);
}

describe("chat vendor adapters", { concurrency: 4 }, () => {
  for (const [vendor, spec] of Object.entries(VENDORS)) {
    it(`${vendor}: a chat through the vendor's fake gives its KPIs and keeps the page's handlers`, async () => {
      const tab = await openVendorPage(vendor);
      try {
        checkChat(await driveChat(tab, spec, vendor), spec);
        assert.deepEqual(await tab.page.evaluate(() => window.pageCalls), spec.pageCalls, "the page's own handlers ran");
        assert.deepEqual(tab.errors, [], "no page error");
        assert.deepEqual(tab.warnings, [], "no widget warning");
      } finally {
        await tab.close();
      }
    });
  }

  it("an odd or throwing vendor payload never surfaces as a page error", async () => {
    const tab = await openVendorPage("chatwoot");
    try {
      await tab.page.evaluate(() => {
        const message = (detail) => window.dispatchEvent(new CustomEvent("chatwoot:on-message", { detail }));
        message(null);
        message("text");
        message({ get message_type() {
          throw new Error("a payload getter that throws");
        } });
      });
      const kpis = await liveKpis(tab.page);
      assert.equal(kpis.productivity.chatsStarted, 0);
      assert.deepEqual(tab.errors, []);
    } finally {
      await tab.close();
    }
  });

  it("supportKpi('chat', 'started') then customer_message for the same first message counts one message", async () => {
    const tab = await openVendorPage("zendesk"); // Zendesk reports no visitor messages: the page does
    try {
      await tab.page.evaluate(() => {
        supportKpi("chat", "started");
        supportKpi("chat", "customer_message"); // the same first message, reported too
      });
      await tab.fake("close");
      await tab.fake("agentSays");
      await tab.page.evaluate(() => supportKpi("chat", "customer_message")); // a second message
      const first = await liveKpis(tab.page);
      assert.equal(first.productivity.chatsStarted, 1);
      assert.deepEqual(first.productivity.messagesPerChat, ratio(3, 1), "two customer messages and one agent message");
      // `started` alone is the first message of a new conversation.
      await tab.page.evaluate(() => supportKpi("chat", "started"));
      const second = await liveKpis(tab.page);
      assert.equal(second.productivity.chatsStarted, 2);
      assert.deepEqual(second.productivity.messagesPerChat, ratio(4, 2));
      assert.deepEqual(tab.warnings, []);
    } finally {
      await tab.close();
    }
  });

  it("Freshchat: the adapter subscribes only to event names the messenger accepts", async () => {
    const tab = await openVendorPage("freshchat");
    try {
      await kpisWhen(tab.page, (k) => k.engagement.chatEngagementRatio.den === 1, "the adapter attached (its launcher seen)");
      assert.deepEqual(await tab.page.evaluate(() => window.__fakeChat.ignored()), [], "no subscription the messenger ignores");
    } finally {
      await tab.close();
    }
  });

  it("LiveChat: the availability at load (ready) counts without any change event; greetings are no replies", async () => {
    const tab = await openVendorPage("livechat");
    try {
      await tab.page.evaluate(() => window.__fakeChat.load({ online: false })); // offline at load, no change event follows
      await kpisWhen(tab.page, (k) => k.engagement.chatEngagementRatio.den === 1, "the adapter attached (its launcher seen)");
      await navigate(tab.page, "/vendors/livechat/next");
      await tab.fake("greet");
      const kpis = await liveKpis(tab.page);
      assert.deepEqual(kpis.availability.presence, ratio(1, 2), "the second page view is offline, as LiveChat said at load");
      assert.equal(kpis.productivity.chatsStarted, 0);
      assert.deepEqual(kpis.productivity.messagesPerChat, ratio(0, 0));
    } finally {
      await tab.close();
    }
  });

  it('data-chat="auto" picks the vendor of each page', async () => {
    const tabs = await Promise.all(["zendesk", "chatwoot"].map(openVendorPage));
    try {
      for (const tab of tabs) {
        if (tab.has("load")) await tab.fake("load");
        await tab.fake("open");
        // The impression proves the picked adapter's launcher selector matched this vendor's launcher.
        const kpis = await kpisWhen(tab.page, (k) => k.engagement.chatEngagementRatio.den === 1, "the launcher impression");
        assert.deepEqual(kpis.engagement.openToStart, ratio(0, 1));
        assert.deepEqual(tab.errors, []);
      }
    } finally {
      await Promise.all(tabs.map((tab) => tab.close()));
    }
  });
});
