// Typed use of the package under the strictest compiler options: every
// argument and result has a type, no `any` leaks into the caller's code.
import init, { KpiEngine, kpisFromReport, mergeReports } from "support-kpi";
import type { BatchResult, Distribution, KpiConfig, KpiEvent, Kpis, Ratio, Report } from "support-kpi";

const config: KpiConfig = {
  siteKey: "acme-help",
  timeZone: "Europe/Amsterdam",
  openingHours: { mon: [["09:00", "17:30"]], sat: [["10:00", "14:00"]] },
  goals: ["purchase"],
  tags: ["complaint"],
  serviceLevelSeconds: 60,
};

export async function firstResponse(events: KpiEvent[]): Promise<Distribution> {
  await init();
  const engine = new KpiEngine(config);
  const result: BatchResult = engine.trackBatch(events);
  for (const { index, error } of result.rejected) console.warn(`event ${index}: ${error}`);
  const report: Report = engine.report();
  const merged: Report = mergeReports(report, KpiEngine.restore(config, engine.saveState()).report());
  const kpis: Kpis = kpisFromReport(merged);
  const share: Ratio = kpis.engagement.supportPageShare;
  const rate: number | null = share.value;
  const tenOClock = kpis.byHour[10]?.pageViews ?? 0;
  console.log(rate, tenOClock, kpis.friendliness.nps.promoters, kpis.period?.from);
  engine.free();
  return kpis.speed.firstResponse;
}
