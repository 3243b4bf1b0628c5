// The dashboard: picks a site and a range, fetches /api/kpis, draws tiles
// (headline, sparkline, numerator/denominator on hover) and charts.
import { ApiError, get, readToken, saveToken } from "./api.js";
import { FAMILIES } from "./catalog.js";
import { coverageHeatmap, goalBars, responseHistogram, sparkline } from "./charts.js";
import { count, duration } from "./format.js";

const $ = (id) => document.getElementById(id);
let token = readToken();

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  saveToken(token);
  start();
});
$("site").addEventListener("change", () => load());
$("range").addEventListener("change", () => load());

/** Shows the token form, or the dashboard once the token works. */
async function start() {
  if (!token) return showLogin();
  try {
    const { sites } = await get("/api/sites", token);
    $("site").replaceChildren(...sites.map((s) => new Option(s.key, s.key)));
    $("login").hidden = true;
    $("dashboard").hidden = false;
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

/** Counts loads, so that only the latest one draws. */
let loads = 0;

/** Fetches the chosen site and range and draws everything; on failure the
 * figures are cleared (none of another range stay on screen) and the status says what failed. */
async function load() {
  const load = ++loads;
  const days = Number($("range").value);
  const to = Date.now();
  const from = to - days * 86_400_000;
  const bucket = days <= 2 ? "hour" : "day";
  const site = $("site").value;
  const query = new URLSearchParams({ site, from, to, bucket });
  setStatus("Loading…");
  try {
    const data = await get(`/api/kpis?${query}`, token);
    if (load !== loads) return;
    $("dashboard").hidden = false;
    render(data);
    setStatus(`${count(data.reports)} reports · ${bucket === "hour" ? "hourly" : "daily"} · times in ${data.timeZone}`);
  } catch (error) {
    if (load !== loads) return;
    $("dashboard").hidden = true;
    $("summary").replaceChildren();
    $("families").replaceChildren();
    const range = $("range").selectedOptions[0]?.textContent ?? "";
    setStatus(`Could not read the KPIs of ${site}, ${range.toLowerCase()}: ${error.message}`, true);
  }
}

function render(data) {
  const { kpis, series } = data;
  renderSummary(kpis, data);
  const times = series.map((bucket) => bucket.from);
  const families = FAMILIES.map((family) => {
    const section = element("section", "family");
    section.append(element("h2", "", family.name));
    const grid = element("div", "tiles");
    for (const tile of family.tiles) grid.append(renderTile(tile, kpis, times));
    section.append(grid);
    return section;
  });
  $("families").replaceChildren(...families);
  // Sparklines need their tiles in the document to size themselves.
  for (const { spark, tile } of pendingSparklines.splice(0)) {
    sparkline(spark, times, series.map((bucket) => tile.value(bucket.kpis) ?? null), tile.format);
  }
  coverageHeatmap($("heatmap"), kpis.byWeekdayHour);
  responseHistogram($("frt"), data.firstResponseHistogram, kpis.speed.serviceLevelSeconds);
  $("frt-hint").textContent =
    `${count(kpis.speed.firstResponse.count)} first responses; blue bars are within the ${kpis.speed.serviceLevelSeconds} s service level.`;
  goalBars($("goals"), kpis.contribution.conversions, kpis.contribution.conversionsAfterChat);
}

const pendingSparklines = [];

function renderTile(tile, kpis, times) {
  const box = element("div", "tile");
  box.tabIndex = 0;
  box.append(element("div", "label", tile.label), element("div", "value", tile.format(tile.value(kpis))));
  if (tile.sub) box.append(element("div", "sub", tile.sub(kpis)));
  const spark = element("div", "spark");
  box.append(spark);
  if (tile.detail) box.append(element("div", "detail", tile.detail(kpis)));
  if (times.length > 1) pendingSparklines.push({ spark, tile });
  return box;
}

function renderSummary(kpis, data) {
  const when = new Intl.DateTimeFormat("en-GB", { timeZone: data.timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  const period = kpis.period ? `${when.format(kpis.period.from)} – ${when.format(kpis.period.to)}` : "no data in this range";
  const facts = [
    ["Page views", count(kpis.engagement.supportPageShare.den)],
    ["Chats", count(kpis.productivity.chatsStarted)],
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

/** Marks figures that carry differential-privacy noise, with its 95 % margin per count. */
function noiseBadge(noise, reports) {
  const margin = Math.round(1.96 * Math.sqrt(noise.variance));
  const badge = element("div", "noise", `Noisy figures: ± ${count(margin)} per count`);
  badge.title =
    `${count(noise.reports)} of ${count(reports)} reports were noised on the device (differential privacy, data-dp-epsilon). ` +
    `Every count in this range carries noise with a standard deviation of ${count(Math.round(Math.sqrt(noise.variance)))}; ` +
    "ratios of small counts can fall outside 0–100 %. Durations, hours of the week, goals and tags come only from reports without noise.";
  return badge;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

start();
