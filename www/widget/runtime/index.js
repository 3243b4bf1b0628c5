// The widget runtime, imported by the loader once the page is idle: restores
// the engine, replays queued calls, watches the page and the chat, and sends
// aggregate reports when they are due.
import init, { KpiEngine } from "support-kpi";
import { connectChat } from "./chat.js";
import { createHandover } from "./handover.js";
import { watchLauncher } from "./launcher.js";
import { createLiveKpis } from "./live.js";
import { watchNavigation } from "./navigation.js";
import { isSupportPage, readOptions } from "./options.js";
import { createReporter } from "./reporter.js";
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
  await init({ module_or_path: new URL("widget_bg.wasm", scriptUrl) });

  const store = openStore(config.siteKey);
  try {
    const table = await zoneTable(config.timeZone, store, scriptUrl);
    if (table) config.timeZoneTable = table;
  } catch {
    warn(`data-time-zone="${config.timeZone}" is not an IANA time zone; using "UTC"`);
    config.timeZone = "UTC";
  }
  const handover = createHandover(store);
  const reporter = createReporter(options.endpoint, store, warn);
  if (!store.available) warn("localStorage is unavailable: each page reports on its own");

  // Claim what earlier pages left: the newest state continues, others are reported.
  const [previous, ...orphans] = handover.claimAll();
  for (const orphan of orphans) {
    const report = restore(orphan)?.report();
    if (report?.period) reporter.send(JSON.stringify(report));
  }
  let engine = (previous && restore(previous)) || new KpiEngine(config);
  let lastEventAt = previous?.last ?? 0;
  let pendingSince = previous?.since ?? null;
  let stopped = false;

  function restore(record) {
    try {
      return KpiEngine.restore(config, record.state);
    } catch (error) {
      warn(`a saved state was dropped: ${error.message}`);
      return null;
    }
  }

  const live = createLiveKpis({ state: () => engine.saveState(), config, baseUrl: scriptUrl, warn });
  const eventListeners = [];
  let idleTimer = 0;
  /** Feeds one event to the engine; `ts` defaults to now. */
  const track = (event) => {
    if (stopped) return;
    const ts = event && event.ts === undefined ? Date.now() : event?.ts;
    const tracked = event && typeof event === "object" ? { ...event, ts } : event;
    try {
      engine.track(tracked);
    } catch (error) {
      return warn(`event refused: ${error.message}`);
    }
    for (const listener of eventListeners) guard(listener, warn)({ ...tracked });
    if (event.type !== "availability") {
      lastEventAt = ts;
      pendingSince ??= ts;
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

  const isLeavingSite = watchNavigation();
  const onHidden = () => {
    if (pendingSince !== null && Date.now() - pendingSince > MAX_PENDING_MS) {
      const body = takeReport();
      if (body) reporter.sendOnExit(body);
    }
    saveState();
  };
  const onPageHide = () => {
    if (!store.available || isLeavingSite()) {
      closeChat(Date.now());
      const body = takeReport();
      if (body) reporter.sendOnExit(body);
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

  const commands = {
    _page: pageView,
    track,
    conversion: (goal, value) => track({ type: "conversion", goal, ...(value === undefined ? {} : { value }) }),
    tag: (name) => track({ type: "tag", name }),
    chat: (action, detail) => chat.command(action, detail),
    onKpis: (callback) => live.subscribe(callback),
    onEvent: (callback) =>
      typeof callback === "function" ? eventListeners.push(callback) : warn("supportKpi('onEvent', callback) needs a function"),
    flush: () => reportNow(),
    optOut,
    optIn: () => store.remove("optout"),
  };
  // A vendor already on the page is attached before queued calls run and the
  // page sees the widget started, so no handler of the page slips between.
  await chat.ready;
  const api = function supportKpi(command, ...args) {
    if (stopped && command !== "optIn") return;
    if (!Object.hasOwn(commands, command)) return warn(`unknown command supportKpi("${command}")`);
    guard(() => commands[command](...args), warn)();
  };
  api.started = true;
  window.supportKpi = api;
  // Listeners the page registered before the widget started see every event,
  // so they are attached first. Availability a chat vendor reported while the
  // page loaded describes this page view, so it is applied before the queued
  // page view. Everything else keeps its order.
  const queued = queue.splice(0);
  const isListener = (args) => args[0] === "onEvent" || args[0] === "onKpis";
  const isAvailability = (args) => args[0] === "chat" && (args[1] === "online" || args[1] === "offline");
  const rank = (args) => (isListener(args) ? 0 : isAvailability(args) ? 1 : 2);
  for (const args of queued.sort((a, b) => rank(a) - rank(b))) api(...args); // a stable sort
  reporter.flush();
}

/** `handler` with every exception turned into one warning. */
function guard(handler, warn) {
  return (...args) => {
    try {
      return handler(...args);
    } catch (error) {
      warn(`internal error: ${error?.message ?? error}`);
    }
  };
}
