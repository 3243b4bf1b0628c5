// Drives simulated visitors through the demo site in headless Chromium so the
// collector fills with reports made by the real widget in real browsers. Each
// visitor is its own browser context (its own device and storage); visits are
// spread over the past days with Playwright's clock, so the dashboard shows
// trends and the weekday × hour pattern. Each page's clock is paused at the
// visitor's arrival and only moves when the simulator moves it, so a visit
// is the same whatever the machine's speed and the real date.
//
//   node scripts/simulate.mjs --url http://127.0.0.1:8787 --visitors 60 [--days 7] [--seed 1]
import { launch } from "../tests/e2e/lib/browser.mjs";

const HOUR = 3_600_000;
/** Relative traffic per hour of day: quiet nights, busy late mornings and evenings. */
const HOURLY = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 12, 10, 11, 12, 11, 10, 9, 10, 11, 10, 7, 4, 2];
const QUESTIONS = ["Where is my order?", "How do I return these boots?", "Can I change my address?", "Is the Ridge 2 tent waterproof?"];

/** A small seeded random generator (mulberry32). */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.chance = (p) => next() < p;
  next.between = (low, high) => low + next() * (high - low);
  next.pick = (list) => list[Math.floor(next() * list.length)];
  return next;
}

/** A past moment within `days`, weighted by hour of day, at least two hours ago. */
function arrivalTime(rng, days, now) {
  const total = HOURLY.reduce((a, b) => a + b, 0);
  let roll = rng() * total;
  const hour = HOURLY.findIndex((weight) => (roll -= weight) < 0);
  const day = Math.floor(rng() * days);
  const midnight = Math.floor(now / (24 * HOUR)) * 24 * HOUR;
  const time = midnight - day * 24 * HOUR + hour * HOUR + Math.floor(rng() * HOUR);
  return time < now - 2 * HOUR ? time : time - 24 * HOUR;
}

/**
 * Records, inside each page, the events the widget tracks (its onEvent
 * hook; events stay in the tab's sessionStorage), for tests that recompute
 * the KPIs from them.
 */
const RECORD_EVENTS = () => {
  window.supportKpi = window.supportKpi || function () { (window.supportKpi.q = window.supportKpi.q || []).push(arguments); };
  window.supportKpi("onEvent", (event) => {
    const events = JSON.parse(sessionStorage.getItem("simEvents") || "[]");
    events.push(event);
    sessionStorage.setItem("simEvents", JSON.stringify(events));
  });
};

/** Step of page time while waiting for the widget to start (it starts when the page is idle). */
const START_STEP_MS = 50;

/** Moves the paused page clock on in small steps until the widget on `page` has started. */
async function widgetStarted(page) {
  while (!(await page.evaluate(() => window.supportKpi?.started === true))) await page.clock.runFor(START_STEP_MS);
}

async function open(page, url) {
  await page.goto(url);
  await widgetStarted(page);
}

async function follow(page, selector) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
  await widgetStarted(page);
}


/** Reads for a while: the page's clock moves on (timers such as the viewability second fire). */
const read = (page, rng, low = 15, high = 120) => page.clock.runFor(Math.round(rng.between(low, high) * 1000));

/** One chat in the Acme Chat window, as a visitor would have it. */
async function chat(page, rng) {
  await page.click("#acme-chat-launcher");
  const exchanges = rng.chance(0.5) ? 2 : 1;
  for (let i = 0; i < exchanges; i++) {
    await page.fill("#acme-chat input[name=text]", rng.pick(QUESTIONS));
    await page.press("#acme-chat input[name=text]", "Enter");
    await page.clock.runFor(80_000); // agents answer within 8-75 s
  }
  if (rng.chance(0.1)) await page.evaluate(() => supportKpi("tag", "complaint"));
  const answered = await page.locator("#acme-chat .outcome").isVisible();
  if (!answered) return; // nobody online: the visitor gives up
  const solved = rng.chance(0.72);
  if (rng.chance(0.06)) await page.evaluate(() => AcmeChat.end({ resolved: false, escalated: true }));
  else await page.click(`#acme-chat .outcome [data-resolved="${solved}"]`);
  if (rng.chance(0.6)) {
    const score = solved ? rng.pick([4, 5, 5, 5, 3]) : rng.pick([1, 2, 3, 4]);
    await page.click(`#acme-chat .rating [data-score="${score}"]`);
    if (rng.chance(0.7)) await page.click(`#acme-chat .effort [data-effort="${solved ? rng.pick([1, 2, 2, 3]) : rng.pick([3, 4, 5, 6])}"]`);
  }
}

/**
 * One visitor's visit, arriving at `arrival` (ms); returns `{ events, leftAt }`
 * (filled when `recordEvents`). The visitor's browser context stays open: the
 * report sent on leaving may still be on its way.
 */
async function visit(browser, baseUrl, rng, { arrival, recordEvents }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.clock.install({ time: arrival - 1000 });
  await context.clock.pauseAt(arrival);
  if (recordEvents) await context.addInitScript(RECORD_EVENTS);
  const page = await context.newPage();
  await open(page, `${baseUrl}${rng.chance(0.55) ? "/demo/help/" : "/demo/"}`);
  let chatted = false;
  const pages = 1 + Math.floor(rng() * 4);
  for (let step = 0; step < pages; step++) {
    await read(page, rng);
    const onHelp = new URL(page.url()).pathname.startsWith("/demo/help/");
    if (onHelp && !chatted && rng.chance(0.32)) {
      await chat(page, rng);
      chatted = true;
    }
    if (step < pages - 1) {
      const here = new URL(page.url()).pathname;
      const links = await page.$$eval("a[href^='/demo/']", (anchors) => anchors.map((a) => a.getAttribute("href")));
      const next = rng.pick(links.filter((href) => href !== here && href !== "/demo/checkout.html"));
      await follow(page, `a[href='${next}']`);
    }
  }
  if (rng.chance(chatted ? 0.45 : 0.12)) {
    if (!page.url().endsWith("/demo/checkout.html")) await follow(page, "nav a[href='/demo/checkout.html']");
    await read(page, rng, 10, 60);
    await page.click("#buy");
    if (rng.chance(0.2)) await page.check("#signup");
    if (rng.chance(0.5)) await page.click(`#nps [data-score="${rng.pick(chatted ? [10, 9, 9, 8, 7, 6] : [10, 9, 8, 8, 7, 5, 3])}"]`);
  }
  await read(page, rng, 5, 30);
  const recorded = recordEvents
    ? await page.evaluate(() => ({ events: JSON.parse(sessionStorage.getItem("simEvents") || "[]"), leftAt: Date.now() }))
    : { events: [], leftAt: null };
  await page.goto("about:blank"); // leaving the site: the widget closes an open chat and sends its report
  return recorded;
}

/**
 * Simulates `visitors` visitors against the demo at `baseUrl`, `concurrency`
 * at a time, arriving in the `days` before `now` (ms; default the real now),
 * or at the given `arrivals` (ms, one visitor each). With `recordEvents`,
 * returns for each visitor the events the widget tracked and when the
 * visitor left (`{ events, leftAt }`). The browser stays open until
 * `delivered(results)` resolves (e.g. once the collector has every report;
 * by default at once), so no report sent on leaving is cut off.
 */
export async function simulate({ baseUrl, visitors = 40, days = 7, seed = 1, now = Date.now(), arrivals, concurrency = 3, recordEvents = false, delivered = async () => {}, log = () => {} }) {
  const browser = await launch();
  if (arrivals) visitors = arrivals.length;
  const results = new Array(visitors);
  let next = 0;
  const worker = async () => {
    while (next < visitors) {
      const index = next++;
      const rng = random(seed * 7919 + index);
      const arrival = arrivals ? arrivals[index] : arrivalTime(rng, days, now);
      results[index] = await visit(browser, baseUrl, rng, { arrival, recordEvents });
      log(`visitor ${index + 1}/${visitors} done`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    await delivered(results);
  } finally {
    await browser.close();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(
    process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
  );
  const visitors = Number(args.visitors ?? 40);
  const started = Date.now();
  await simulate({
    baseUrl: args.url ?? "http://127.0.0.1:8787",
    visitors,
    days: Number(args.days ?? 7),
    seed: Number(args.seed ?? 1),
    log: (line) => process.stdout.write(`\r${line}   `),
  });
  console.log(`\n${visitors} visitors simulated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
