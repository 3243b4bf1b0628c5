// The dashboard's charts, drawn with Apache ECharts (loaded as /vendor/echarts.min.js).
import { count, duration, percent } from "./format.js";

const INK = "#1f2a44";
const MUTED = "#8a94a6";
const ACCENT = "#3b6ef5";
const ALERT = "#e4572e";
const GRID = "#eef1f6";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const charts = new Map();
const HOURS_AXIS = { type: "category", data: [...Array(24).keys()].map((h) => `${h}`), splitArea: { show: true }, axisLabel: { color: MUTED } };
const WEEKDAYS_AXIS = { type: "category", data: WEEKDAYS, inverse: true, axisLabel: { color: MUTED } };
const hourSpan = (day, hour) => `${WEEKDAYS[day]} ${String(hour).padStart(2, "0")}:00–${String(hour + 1).padStart(2, "0")}:00`;

/** The chart in `element`, created once and resized with the window. */
function chartIn(element) {
  if (!charts.has(element)) charts.set(element, window.echarts.init(element, null, { renderer: "svg" }));
  return charts.get(element);
}
window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));

/** A sparkline of `values` (nulls are gaps) over the bucket start times `times`, with the range's ends on its time axis. */
export function sparkline(element, times, values, format, bucket) {
  const label = new Intl.DateTimeFormat("en-GB", bucket === "hour" ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short" });
  chartIn(element).setOption({
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 16 },
    xAxis: {
      type: "time",
      min: times[0],
      max: times[times.length - 1],
      splitNumber: 1,
      axisLine: { lineStyle: { color: GRID } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        color: MUTED,
        fontSize: 9,
        showMinLabel: true,
        showMaxLabel: true,
        alignMinLabel: "left",
        alignMaxLabel: "right",
        formatter: (t) => (t === times[0] || t === times[times.length - 1] ? label.format(t) : ""),
      },
    },
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
      // Only cells with offline page views carry a label (an empty one would still draw its pill).
      cells.push({ value: [hour, day, views, offline], label: { show: offline > 0 } });
      max = Math.max(max, views);
    }),
  );
  weekHeatmap(element, {
    cells,
    max,
    tooltip: ({ value: [hour, day, views, offline] }) =>
      `${hourSpan(day, hour)}<br>` + `${count(views)} page views<br><b>${count(offline)}</b> while chat was offline`,
    legend: ["more page views", "fewer"],
    colors: ["#f4f6fb", "#c9d6fb", ACCENT],
    label: {
      formatter: ({ value }) => String(value[3]),
      color: ALERT,
      fontWeight: 700,
      backgroundColor: "rgba(255,255,255,0.9)",
      borderRadius: 3,
      padding: [1, 3],
    },
  });
}

/**
 * A weekday × hour heatmap: `cells` hold `value: [hour, weekday, shade, ...]`,
 * shaded by the third value from 0 to `max`, with a horizontal legend below.
 */
function weekHeatmap(element, { cells, max, tooltip, legend, colors, label }) {
  chartIn(element).setOption({
    animation: false,
    grid: { left: 44, right: 16, top: 8, bottom: 56 },
    tooltip: { formatter: tooltip },
    xAxis: HOURS_AXIS,
    yAxis: WEEKDAYS_AXIS,
    visualMap: {
      dimension: 2,
      min: 0,
      max,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 160,
      text: legend,
      textStyle: { color: MUTED },
      inRange: { color: colors },
    },
    series: [
      {
        type: "heatmap",
        data: cells,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: { show: true, fontSize: 10, ...label },
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

/**
 * Agents to schedule per weekday × hour (Erlang C advice of /api/staffing),
 * beside measured presence: a red number is an hour that needs agents while
 * chat was online for less than half of its page views.
 */
export function staffingHeatmap(element, hours) {
  let max = 1;
  const cells = hours.map((h) => {
    const agents = h.advice?.scheduled ?? null;
    max = Math.max(max, agents ?? 0);
    const gap = agents > 0 && !(h.presence.value >= 0.5);
    return {
      value: [h.hour, h.weekday, agents ?? 0],
      hour: h,
      label: { show: agents > 0, color: gap ? ALERT : INK, fontWeight: gap ? 700 : 400 },
    };
  });
  weekHeatmap(element, {
    cells,
    max,
    tooltip: ({ data: { hour: h } }) => {
      const a = h.advice;
      const advice = a
        ? `<b>${count(a.agents)}</b> agents needed, ${count(a.scheduled)} to schedule<br>` +
          `expected: service level ${percent(a.serviceLevel)}, waiting ${percent(a.probabilityOfWaiting)}, ` +
          `answer in ${duration(a.averageSpeedOfAnswer)} on average, occupancy ${percent(a.occupancy)}`
        : "no handle time measured yet";
      return `${hourSpan(h.weekday, h.hour)}<br>${h.arrivalsPerHour} chats per hour (${count(h.chatsStarted)} in ${h.occurrences} such hours)<br>` +
        `${advice}<br>chat online for ${percent(h.presence.value)} of page views`;
    },
    legend: ["more agents", "none"],
    colors: ["#f4f6fb", "#d5e9d8", "#5fae6e"],
    label: { formatter: ({ value }) => String(value[2]) },
  });
}
