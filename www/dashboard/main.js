// The dashboard: picks a site and a range, fetches /api/kpis for it and for
// the previous period, draws tiles (headline, change, sample size, sparkline,
// numerator/denominator on hover), charts and the staffing advice; refreshes
// every minute while the range includes now.
import { ApiError, download, get, readToken, saveToken } from "./api.js";
import { FAMILIES } from "./catalog.js";
import { coverageHeatmap, goalBars, responseHistogram, sparkline, staffingHeatmap } from "./charts.js";
import { count, duration, plural } from "./format.js";
import { chosenRange, isoDate, previousPeriod } from "./range.js";
import { element, renderTile } from "./tiles.js";

/** How often a range that includes now is fetched again. */
const REFRESH_MS = 60_000;
const $ = (id) => document.getElementById(id);
let token = readToken();
let refreshTimer = 0;
/** Bumped per load, so that an older answer arriving late is dropped. */
let generation = 0;

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  saveToken(token);
  start();
});
$("site").addEventListener("change", () => load());
$("range").addEventListener("change", () => {
  if ($("range").value !== "custom") showPresetDates();
  load();
});
for (const id of ["from-date", "to-date"]) {
  $(id).addEventListener("change", () => {
    $("range").value = "custom";
    load();
  });
}
$("staffing-form").addEventListener("change", () => loadStaffing(currentRange(), generation));
$("csv").addEventListener("click", () => {
  const range = currentRange();
  if (range.error) return setStatus(range.error, true);
  const query = new URLSearchParams({ site: $("site").value, from: range.from, to: range.to, bucket: range.bucket, format: "csv" });
  download(`/api/kpis?${query}`, token, `support-kpi-${$("site").value}-${isoDate(range.from)}-${isoDate(range.to - 1)}.csv`).catch(
    (error) => setStatus(error.message, true),
  );
});

/** Shows the token form, or the dashboard once the token works. */
async function start() {
  if (!token) return showLogin();
  try {
    const { sites } = await get("/api/sites", token);
    $("site").replaceChildren(...sites.map((s) => new Option(s.key, s.key)));
    $("login").hidden = true;
    $("dashboard").hidden = false;
    showPresetDates();
    await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin("That token was not accepted.");
    setStatus(error.message, true);
  }
}

function showLogin(message) {
  $("login").hidden = false;
  $("dashboard").hidden = true;
  if (message) setStatus(message, true);
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

/** The date inputs show the chosen preset's days. */
function showPresetDates() {
  const range = currentRange();
  $("from-date").value = isoDate(range.from);
  $("to-date").value = isoDate(range.to - 1);
}

function currentRange() {
  return chosenRange($("range").value, $("from-date").value, $("to-date").value, Date.now());
}

const kpiQuery = (range) =>
  `/api/kpis?${new URLSearchParams({ site: $("site").value, from: range.from, to: range.to, bucket: range.bucket })}`;

/** Fetches the chosen site and range (and the period before) and draws everything. */
async function load() {
  clearTimeout(refreshTimer);
  const range = currentRange();
  if (range.error) return setStatus(range.error, true);
  const mine = ++generation;
  setStatus("Loading…");
  try {
    const [data, previous] = await Promise.all([get(kpiQuery(range), token), get(kpiQuery(previousPeriod(range)), token)]);
    if (mine !== generation) return;
    $("dashboard").hidden = false;
    render(data, previous, range.bucket);
    const refresh = range.live ? " · refreshes every minute" : "";
    setStatus(`${plural(data.reports, "report")} · ${range.bucket === "hour" ? "hourly" : "daily"} · times in ${data.timeZone}${refresh}`);
    await loadStaffing(range, mine);
  } catch (error) {
    if (mine !== generation) return;
    clearFigures();
    setStatus(`Could not read the KPIs of ${$("site").value}, ${isoDate(range.from)} to ${isoDate(range.to - 1)}: ${error.message}`, true);
  } finally {
    if (mine === generation && range.live) refreshTimer = setTimeout(load, REFRESH_MS);
  }
}

/** A failed read leaves no stale figure on screen: tiles and charts are cleared and hidden. */
function clearFigures() {
  $("dashboard").hidden = true;
  $("summary").replaceChildren();
  $("families").replaceChildren();
}

function render(data, previous, bucket) {
  const { kpis, series } = data;
  renderSummary(kpis, data);
  const times = series.map((item) => item.from);
  const sparks = [];
  const families = FAMILIES.map((family) => {
    const section = element("section", "family");
    section.append(element("h2", "", family.name));
    const grid = element("div", "tiles");
    for (const tile of family.tiles) {
      const { box, spark } = renderTile(tile, data, previous);
      grid.append(box);
      if (!tile.answer && times.length > 1) sparks.push({ spark, tile });
    }
    section.append(grid);
    return section;
  });
  $("families").replaceChildren(...families);
  // Sparklines need their tiles in the document to size themselves.
  for (const { spark, tile } of sparks) {
    sparkline(spark, times, series.map((item) => tile.value(item.kpis) ?? null), tile.format, bucket);
  }
  coverageHeatmap($("heatmap"), kpis.byWeekdayHour);
  responseHistogram($("frt"), data.firstResponseHistogram, kpis.speed.serviceLevelSeconds);
  $("frt-hint").textContent =
    `${count(kpis.speed.firstResponse.count)} first responses; blue bars are within the ${kpis.speed.serviceLevelSeconds} s service level.`;
  goalBars($("goals"), kpis.contribution.conversions, kpis.contribution.conversionsAfterChat);
}

/** Fetches and draws the staffing advice for `range` (at most the last 366 days of it). */
async function loadStaffing(range, mine) {
  if (range.error) return;
  const percentOf = (id) => Number($(id).value) / 100;
  const query = new URLSearchParams({
    site: $("site").value,
    from: Math.max(range.from, range.to - 366 * 86_400_000),
    to: range.to,
    target: percentOf("staffing-target"),
    concurrency: $("staffing-concurrency").value,
    shrinkage: percentOf("staffing-shrinkage"),
    maxOccupancy: percentOf("staffing-occupancy"),
  });
  if ($("staffing-seconds").value !== "") query.set("seconds", $("staffing-seconds").value);
  try {
    const staffing = await get(`/api/staffing?${query}`, token);
    if (mine !== generation) return;
    if ($("staffing-seconds").value === "") $("staffing-seconds").value = staffing.answerSeconds;
    staffingHeatmap($("staffing"), staffing.hours);
    $("staffing-hint").textContent =
      staffing.handleSeconds == null
        ? "No chat has closed in this range yet: the handle time, and with it the advice, is unknown."
        : `Agents to schedule per weekday and hour (site time) for the chats that arrived in this range, ` +
          `handle time ${duration(staffing.handleSeconds)} (mean of ${plural(staffing.handled, "chat")}). ` +
          "Red: hours that need agents while chat was online for less than half of their page views.";
  } catch (error) {
    if (mine !== generation) return;
    $("staffing-hint").textContent = `Staffing: ${error.message}`;
  }
}

function renderSummary(kpis, data) {
  const when = new Intl.DateTimeFormat("en-GB", { timeZone: data.timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  const period = kpis.period ? `${when.format(kpis.period.from)} – ${when.format(kpis.period.to)}` : "no data in this range";
  const facts = [
    ["Page views", count(kpis.engagement.counts.pageViews)],
    ["Chats", count(kpis.productivity.chatsStarted)],
    ["Offline messages", count(kpis.availability.counts.offlineChatsStarted)],
    ["First response (p50)", duration(kpis.speed.firstResponse.p50)],
    ["Reports", count(data.reports)],
  ];
  $("summary").replaceChildren(
    element("div", "site", data.site),
    element("div", "period", period),
    ...facts.map(([label, value]) => {
      const fact = element("div", "fact");
      fact.append(element("span", "", label), element("b", "", value));
      return fact;
    }),
    ...(kpis.noise ? [noiseBadge(kpis.noise, data.reports)] : []),
  );
}

/** Marks figures that carry differential-privacy noise: one standard deviation per count, as the README says. */
function noiseBadge(noise, reports) {
  const deviation = Math.round(Math.sqrt(noise.variance));
  const badge = element("div", "noise", `Noisy figures: ± ${count(deviation)} per count`);
  badge.title =
    `${count(noise.reports)} of ${plural(reports, "report")} were noised on the device (differential privacy, data-dp-epsilon). ` +
    `Every count in this range carries noise with a standard deviation of ${count(deviation)} (95 % within ± ${count(Math.round(1.96 * deviation))}); ` +
    "ratios of small counts can fall outside 0–100 %. Durations, hours of the week, goals and tags come only from reports without noise.";
  return badge;
}

start();
