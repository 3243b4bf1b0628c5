// Mistakes the types must catch: each line below is a compile error, and
// `@ts-expect-error` fails the type check if one of them is not.
import { KpiEngine } from "support-kpi";

const engine = new KpiEngine({ siteKey: "acme-help" });
// @ts-expect-error page_view needs `support`
engine.track({ type: "page_view", ts: 0 });
// @ts-expect-error no such event type
engine.track({ type: "page_viewed", ts: 0, support: true });
// @ts-expect-error survey kind is csat, nps or ces
engine.track({ type: "survey", ts: 0, kind: "stars", score: 5 });
// @ts-expect-error unknown configuration key
new KpiEngine({ siteKey: "acme-help", timezone: "UTC" });
// @ts-expect-error a ratio's value may be null
const value: number = engine.kpis().engagement.chatEngagementRatio.value;
console.log(value);
