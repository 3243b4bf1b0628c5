// One visit, the same in every fixture project: a support page view, a
// viewable launcher, a chat answered after 30 s, a purchase after it. Returns
// the figures the test compares, computed by the installed package.

const T = Date.UTC(2026, 10, 23, 9, 0); // a Monday, 10:00 in Amsterdam
const CONFIG = { siteKey: "acme-help", timeZone: "Europe/Amsterdam", goals: ["purchase"], serviceLevelSeconds: 60 };

/** Runs the visit through `kpi` (the module `support-kpi`, initialised) and summarises the KPIs. */
export function scenario(kpi) {
  const engine = new kpi.KpiEngine(CONFIG);
  engine.track({ type: "page_view", ts: T, support: true });
  engine.track({ type: "chat_button_impression", ts: T + 1_000 });
  const first = engine.report();
  const batch = engine.trackBatch([
    { type: "chat_started", ts: T + 2_000 },
    { type: "agent_message", ts: T + 32_000 },
    { type: "conversion", ts: T + 60_000, goal: "purchase", value: 49.99 },
    { type: "conversion", ts: T + 61_000, goal: "refund" },
  ]);
  const second = engine.report();
  let refused = null;
  try {
    engine.track({ type: "page_view", ts: T });
  } catch (error) {
    refused = { isError: error instanceof Error, message: error.message };
  }
  const kpis = kpi.kpisFromReport(kpi.mergeReports(first, second));
  return {
    chatEngagementRatio: kpis.engagement.chatEngagementRatio,
    firstResponseSeconds: kpis.speed.firstResponse.mean,
    serviceLevel: kpis.speed.serviceLevel.value,
    conversionsAfterChat: kpis.contribution.conversionsAfterChat,
    pageViewsAt10: kpis.byHour[10].pageViews,
    rejected: batch.rejected,
    refused,
    mergedEqualsLive: JSON.stringify(kpis) === JSON.stringify(engine.kpis()),
  };
}

/** What `scenario` returns with a working package. */
export const EXPECTED = {
  chatEngagementRatio: { num: 1, den: 1, value: 1 },
  firstResponseSeconds: 30,
  serviceLevel: 1,
  conversionsAfterChat: { count: 1, value: 49.99, byGoal: { purchase: { count: 1, value: 49.99 } } },
  pageViewsAt10: 1,
  rejected: [{ index: 3, error: 'goal: "refund" is not one of the configured goals' }],
  refused: { isError: true, message: "support: is required" },
  mergedEqualsLive: true,
};
