// The widget runtime, imported by the loader once the page is idle: restores
// the engine, replays queued calls, watches the page and the chat, and sends
// aggregate reports when they are due.
import init, { KpiEngine } from "support-kpi";
import { adapters } from "../adapters/index.js";
import { connectChat } from "./chat.js";
import { preloadVerified, verifiedFetch } from "./files.js";
import { createHandover } from "./handover.js";
import { watchLauncher } from "./launcher.js";
import { createLiveKpis } from "./live.js";
import { watchNavigation } from "./navigation.js";
import { isSupportPage, readOptions } from "./options.js";
import { createReporter } from "./reporter.js";
import { describe, guard, messageOf } from "./safe.js";
import { openStore } from "./store.js";
import { createWarn } from "./warnings.js";
import { zoneTable } from "./zone.js";

/** Reports are due at the latest when counts are older than this. */
const MAX_PENDING_MS = 3600_000;

/** Starts the widget for the loader: `data` is the script's dataset, `queue` the calls made so far. */
export async function start(data, scriptUrl, queue) {
  const warn = createWarn();
  const options = readOptions(data, scriptUrl, warn);
  const { config } = options;
  const timeoutMs = config.sessionTimeoutMinutes * 60_000;
  await init({ module_or_path: await verifiedFetch("engine", scriptUrl) });

  // Queued calls as arrays; one that cannot be read is dropped with a warning.
  const queued = queue.splice(0).flatMap((args) => {
    try {
      return [Array.from(args)];
    } catch {
      warn("a queued supportKpi call could not be read; it is dropped");
      return [];
    }
  });
  // Consent given before the widget started decides whether this page may use
  // storage at all; the last such call counts.
  const isConsent = (args) => args[0] === "consent";
  const consentCalls = queued.filter(isConsent);
  const queuedConsent = consentCalls.length ? consentCalls.at(-1)[1] : undefined;
  const mayStore = (given) => options.storage === "local" && (options.consentRequired ? given === true : given !== false);
  const store = openStore(config.siteKey);
  /** Consent withdrawn: back to memory, deleting what was stored (memory mode never stored anything). */
  const withdraw = () => options.storage === "local" && store.persist(false);
  if (mayStore(queuedConsent) && !store.persist(true)) warn("localStorage is unavailable: each page reports on its own");
  if (queuedConsent === false) withdraw();
  if (store.get("optout")) return;

  try {
    const table = zoneTable(config.timeZone, store);
    if (table) config.timeZoneTable = table;
  } catch {
    warn(`data-time-zone="${config.timeZone}" is not an IANA time zone; using "UTC"`);
    config.timeZone = "UTC";
  }
  const handover = createHandover(store);
  const reporter = createReporter(options.endpoint, store, warn);

  /** Reports the counts of states earlier pages left (they cannot join this engine). */
  const reportOrphans = (records) => {
    for (const orphan of records) {
      const report = restore(orphan)?.report();
      if (report?.period) reporter.send(JSON.stringify(report));
    }
  };
  // Claim what earlier pages left: the newest state continues, others are reported.
  const [previous, ...orphans] = handover.claimAll();
  reportOrphans(orphans);
  let engine = (previous && restore(previous)) || new KpiEngine(config);
  let lastEventAt = previous?.last ?? 0;
  let pendingSince = previous?.since ?? null;
  let stopped = false;

  function restore(record) {
    try {
      return KpiEngine.restore(config, record.state);
    } catch (error) {
      warn(`a saved state was dropped: ${messageOf(error)}`);
      return null;
    }
  }

  const live = createLiveKpis({ state: () => engine.saveState(), config, baseUrl: scriptUrl, warn });
  const eventListeners = [];
  let idleTimer = 0;
  /** Feeds one event to the engine; `ts` defaults to now. */
  const track = (event) => {
    if (stopped) return;
    // A plain copy: the page's getters and proxies run once, here.
    let json;
    try {
      json = JSON.stringify(event);
    } catch (error) {
      return warn(`event refused: ${messageOf(error)}`);
    }
    const tracked = json === undefined ? event : JSON.parse(json);
    const isEvent = tracked !== null && typeof tracked === "object";
    if (isEvent && tracked.ts === undefined) tracked.ts = Date.now();
    try {
      engine.track(tracked);
    } catch (error) {
      return warn(`event refused: ${messageOf(error)}`);
    }
    for (const listener of eventListeners) guard(listener, warn, "an onEvent callback threw")({ ...tracked });
    if (tracked.type !== "availability") {
      lastEventAt = tracked.ts;
      pendingSince ??= tracked.ts;
    }
    live.changed();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      closeChat(Date.now());
      reportNow();
    }, timeoutMs);
  };

  /** The visitor left or the session timed out at `ts`: an open chat closes (abandoned if unanswered). */
  const closeChat = (ts) => {
    engine.closeChat(ts);
    chat.closed();
  };
  /** The report since the last one as JSON, or null when nothing was counted. */
  const takeReport = () => {
    const report = engine.report();
    pendingSince = null;
    return report.period ? JSON.stringify(report) : null;
  };
  const reportNow = () => {
    const body = takeReport();
    if (body) reporter.send(body);
  };
  const reportOnExit = () => {
    const body = takeReport();
    if (body) reporter.sendOnExit(body);
  };
  const saveState = () =>
    handover.save({ at: Date.now(), state: engine.saveState(), last: lastEventAt, since: pendingSince, chat: chat.state() });

  // The previous session ended while no page was open: report it now.
  if (pendingSince !== null && Date.now() - lastEventAt > timeoutMs) {
    engine.closeChat(lastEventAt);
    reportNow();
  }

  let adapterLauncher = null;
  const launcher = watchLauncher(
    () => options.launcher ?? adapterLauncher,
    () => track({ type: "chat_button_impression" }),
    () => track({ type: "chat_button_click" }),
  );
  // Each vendor's chunk is fetched checked against its hash before it is imported.
  for (const adapter of adapters) {
    const load = adapter.load;
    adapter.load = () => preloadVerified(`adapter:${adapter.name}`, scriptUrl).then(load);
  }
  const chat = connectChat({
    mode: options.chat,
    timeoutMs,
    state: previous?.chat,
    track,
    warn,
    onAdapter: (adapter) => {
      adapterLauncher = adapter.launcher;
      launcher.refresh();
    },
  });

  let scheduleOnline = null;
  /** A page view; availability follows the opening hours unless the chat vendor reports it. */
  const pageView = (ts, path) => {
    if (!chat.hasAvailability()) {
      const online = engine.inOpeningHours(ts);
      if (online !== scheduleOnline) track({ type: "availability", ts, online });
      scheduleOnline = online;
    }
    track({ type: "page_view", ts, support: isSupportPage(options, path) });
    launcher.newPageView();
  };

  // Without storage (memory mode, no consent, blocked) counts cannot travel to
  // the next page: each page reports when it is hidden or left.
  const isLeavingSite = watchNavigation();
  const onHidden = () => {
    if (!store.available || (pendingSince !== null && Date.now() - pendingSince > MAX_PENDING_MS)) reportOnExit();
    saveState();
  };
  const onPageHide = () => {
    if (!store.available || isLeavingSite()) {
      closeChat(Date.now());
      reportOnExit();
    }
    saveState();
  };
  const onVisible = () => {
    if (!handover.reclaim()) takeReport(); // another page took these counts over
  };
  const lifecycle = [
    [document, "visibilitychange", () => (document.visibilityState === "hidden" ? onHidden() : onVisible())],
    [window, "pagehide", onPageHide],
    [window, "pageshow", (event) => event.persisted && onVisible()],
    // A hidden page may be unloading: it would send without seeing the answer.
    [window, "online", () => document.visibilityState === "visible" && reporter.flush()],
  ].map(([target, name, handler]) => [target, name, guard(handler, warn)]);
  for (const [target, name, handler] of lifecycle) target.addEventListener(name, handler);

  const optOut = () => {
    stopped = true;
    launcher.stop();
    clearTimeout(idleTimer);
    for (const [target, name, handler] of lifecycle) target.removeEventListener(name, handler);
    engine.free();
    reporter.clear();
    handover.claimAll();
    store.remove("zone");
    store.set("optout", "1");
  };
  /** `supportKpi('consent', given)`: storage from now on, or none and nothing kept. */
  const consent = (given) => {
    if (typeof given !== "boolean") return warn(`supportKpi('consent', given) needs true or false, not ${describe(given)}`);
    if (!given) return withdraw();
    if (!mayStore(true) || store.available) return;
    if (!store.persist(true)) return warn("localStorage is unavailable: each page reports on its own");
    if (store.get("optout")) return optOut();
    reportOrphans(handover.claimAll());
  };

  const commands = {
    _page: pageView,
    track,
    conversion: (goal, value) => track({ type: "conversion", goal, ...(value === undefined ? {} : { value }) }),
    tag: (name) => track({ type: "tag", name }),
    chat: (action, detail) => chat.command(action, detail),
    onKpis: (callback) => live.subscribe(callback),
    onEvent: (callback) =>
      typeof callback === "function" ? eventListeners.push(callback) : warn("supportKpi('onEvent', callback) needs a function"),
    consent,
    flush: () => reportNow(),
    optOut,
    optIn: () => store.remove("optout"),
  };
  // A vendor already on the page is attached before queued calls run and the
  // page sees the widget started, so no handler of the page slips between.
  await chat.ready;
  const api = function supportKpi(command, ...args) {
    try {
      if (stopped && command !== "optIn") return;
      if (typeof command !== "string" || !Object.hasOwn(commands, command)) return warn(`unknown command supportKpi(${describe(command)})`);
      commands[command](...args);
    } catch (error) {
      warn(`supportKpi(${describe(command)}, …) failed: ${messageOf(error)}`);
    }
  };
  api.started = true;
  window.supportKpi = api;
  // Listeners the page registered before the widget started see every event,
  // so they are attached first. Availability a chat vendor reported while the
  // page loaded describes this page view, so it is applied before the queued
  // page view. Everything else keeps its order; consent was applied above.
  const isListener = (args) => args[0] === "onEvent" || args[0] === "onKpis";
  const isAvailability = (args) => args[0] === "chat" && (args[1] === "online" || args[1] === "offline");
  const rank = (args) => (isListener(args) ? 0 : isAvailability(args) ? 1 : 2);
  for (const args of queued.filter((args) => !isConsent(args)).sort((a, b) => rank(a) - rank(b))) api(...args); // a stable sort
  reporter.flush();
}
