// The dashboard's charts, drawn with Apache ECharts (loaded as /vendor/echarts.min.js).
import { count, duration } from "./format.js";

const INK = "#1f2a44";
const MUTED = "#8a94a6";
const ACCENT = "#3b6ef5";
const ALERT = "#e4572e";
const GRID = "#eef1f6";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const charts = new Map();

/** The chart in `element`, created once and resized with the window. */
function chartIn(element) {
  if (!charts.has(element)) charts.set(element, window.echarts.init(element, null, { renderer: "svg" }));
  return charts.get(element);
}
window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));

/** A sparkline of `values` (nulls are gaps) over the bucket start times `times`. */
export function sparkline(element, times, values, format) {
  chartIn(element).setOption({
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 2 },
    xAxis: { type: "time", show: false },
    yAxis: { type: "value", show: false, scale: true },
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: ([p]) => `${new Date(p.value[0]).toLocaleString()}<br><b>${format(p.value[1])}</b>`,
    },
    series: [
      {
        type: "line",
        data: times.map((t, i) => [t, values[i]]),
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 1.5, color: ACCENT },
        areaStyle: { color: "rgba(59,110,245,0.08)" },
      },
    ],
  });
}

/** Weekday × hour heatmap: page views, and those while chat was offline. */
export function coverageHeatmap(element, byWeekdayHour) {
  const cells = [];
  let max = 1;
  byWeekdayHour.pageViews.forEach((hours, day) =>
    hours.forEach((views, hour) => {
      const offline = views - byWeekdayHour.onlinePageViews[day][hour];
      cells.push([hour, day, views, offline]);
      max = Math.max(max, views);
    }),
  );
  chartIn(element).setOption({
    animation: false,
    grid: { left: 44, right: 16, top: 8, bottom: 56 },
    tooltip: {
      formatter: ({ value: [hour, day, views, offline] }) =>
        `${WEEKDAYS[day]} ${String(hour).padStart(2, "0")}:00–${String(hour + 1).padStart(2, "0")}:00<br>` +
        `${count(views)} page views<br><b>${count(offline)}</b> while chat was offline`,
    },
    xAxis: { type: "category", data: [...Array(24).keys()].map((h) => `${h}`), splitArea: { show: true }, axisLabel: { color: MUTED } },
    yAxis: { type: "category", data: WEEKDAYS, inverse: true, axisLabel: { color: MUTED } },
    visualMap: {
      dimension: 2,
      min: 0,
      max,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 160,
      text: ["more page views", "fewer"],
      textStyle: { color: MUTED },
      inRange: { color: ["#f4f6fb", "#c9d6fb", ACCENT] },
    },
    series: [
      {
        type: "heatmap",
        data: cells,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: {
          show: true,
          formatter: ({ value }) => (value[3] > 0 ? value[3] : ""),
          color: ALERT,
          fontWeight: 700,
          fontSize: 10,
          backgroundColor: "rgba(255,255,255,0.9)",
          borderRadius: 3,
          padding: [1, 3],
        },
      },
    ],
  });
}

/** Display bins for first response times, in seconds. */
const BINS = [15, 30, 60, 120, 300, 600, Infinity];

/** Histogram of first response times with the service-level threshold marked. */
export function responseHistogram(element, histogram, thresholdSeconds) {
  const counts = BINS.map(() => 0);
  for (const [seconds, n] of histogram) counts[BINS.findIndex((upper) => seconds < upper)] += n;
  const labels = BINS.map((upper, i) => (upper === Infinity ? `≥ ${duration(BINS[i - 1])}` : `< ${duration(upper)}`));
  chartIn(element).setOption({
    animation: false,
    grid: { left: 40, right: 12, top: 12, bottom: 28 },
    tooltip: { trigger: "axis", formatter: ([p]) => `${p.name}: <b>${count(p.value)}</b> chats` },
    xAxis: { type: "category", data: labels, axisLabel: { color: MUTED } },
    yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: GRID } }, axisLabel: { color: MUTED } },
    series: [
      {
        type: "bar",
        data: counts.map((value, i) => ({ value, itemStyle: { color: BINS[i] <= thresholdSeconds ? ACCENT : "#aab4c8" } })),
        barWidth: "60%",
      },
    ],
  });
}

/** Conversions per goal: all, and after a chat. */
export function goalBars(element, conversions, afterChat) {
  const goals = Object.keys(conversions.byGoal).sort();
  chartIn(element).setOption({
    animation: false,
    grid: { left: 80, right: 16, top: 28, bottom: 24 },
    legend: { top: 0, textStyle: { color: MUTED } },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: GRID } }, axisLabel: { color: MUTED } },
    yAxis: { type: "category", data: goals, axisLabel: { color: INK } },
    series: [
      { name: "all conversions", type: "bar", data: goals.map((g) => conversions.byGoal[g].count), itemStyle: { color: "#aab4c8" } },
      { name: "after a chat", type: "bar", data: goals.map((g) => afterChat.byGoal[g]?.count ?? 0), itemStyle: { color: ACCENT } },
    ],
  });
}
