// The widget runtime, imported by the loader once the page is idle: takes
// over the session earlier pages left, replays queued calls, watches the page
// and the chat, and sends aggregate reports when they are due (policy.js says
// when). The engine starts only when something needs it (session.js).
import { KpiEngine, initSync } from "support-kpi";
import { adapters } from "../adapters/index.js";
import { drainQueue, exposeApi, takeQueued } from "./api.js";
import { connectChat } from "./chat.js";
import { createConsent } from "./consent.js";
import { preloadVerified } from "./files.js";
import { createHandover } from "./handover.js";
import { watchLauncher } from "./launcher.js";
import { createLiveKpis } from "./live.js";
import { watchNavigation } from "./navigation.js";
import { isSupportPage, readOptions } from "./options.js";
import { createReporter } from "./reporter.js";
import { createReports } from "./reports.js";
import { messageOf } from "./safe.js";
import { continueRecord, createSession } from "./session.js";
import { openStore } from "./store.js";
import { createWarn } from "./warnings.js";
import { withZoneTable } from "./zone.js";

/**
 * Starts the widget for the loader: `data` is the script's dataset, `queue`
 * the calls made so far, `compiled` the engine's compiled module and `zone`
 * the site time zone's table file or null (promises: the loader fetches
 * both while this module loads).
 */
export async function start(data, scriptUrl, queue, compiled, zone) {
  const warn = createWarn();
  const options = readOptions(data, scriptUrl, warn);
  const { config } = options;
  const timeoutMs = config.sessionTimeoutMinutes * 60_000;
  const module = await compiled;
  const zoneFile = await zone;

  const queued = takeQueued(queue, warn);
  const store = openStore(config.siteKey);
  const consent = createConsent(options, store, warn);
  consent.begin(queued.consent);
  if (store.get("optout")) return;
  const build = withZoneTable(config, zoneFile, warn);

  /** The engine from a saved state (null: a new one); null when the state is unusable. */
  const open = (state) => {
    initSync({ module });
    if (state === null) return build((engineConfig) => new KpiEngine(engineConfig));
    try {
      return build((engineConfig) => KpiEngine.restore(engineConfig, state));
    } catch (error) {
      warn(`a saved state was dropped: ${messageOf(error)}`);
      return null;
    }
  };
  const handover = createHandover(store);
  const reporter = createReporter(options.endpoint, store, warn);
  /** Reports the counts of states earlier pages left (they cannot join this session). */
  const reportOrphans = (records) => {
    for (const orphan of records) {
      const engine = continueRecord(orphan, open, warn);
      const report = engine.report();
      engine.free();
      if (report.period) reporter.send(JSON.stringify(report));
    }
  };
  // The rest of the start runs in a task of its own (the page's input can
  // run before it): claiming what earlier pages left — the newest record
  // continues, others are reported — and watching the page's leaving; then,
  // in another, the queued calls.
  await nextTask();
  const [previous, ...orphans] = handover.claimAll();
  reportOrphans(orphans);
  const session = createSession({ open, previous, warn, onTracked: () => (live.changed(), reports.touched()) });
  const live = createLiveKpis({ state: () => session.engine.saveState(), config, baseUrl: scriptUrl, warn });
  const reports = createReports({ session, reporter, handover, store, timeoutMs, warn });
  reports.start();

  let adapterLauncher = null;
  const launcher = watchLauncher(
    () => options.launcher ?? adapterLauncher,
    () => session.impression(),
    () => session.track({ type: "chat_button_click" }),
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
    track: session.track,
    warn,
    onAdapter: (adapter) => {
      adapterLauncher = adapter.launcher;
      launcher.refresh();
    },
  });
  const pageView = watchPageViews(options, session, chat, launcher, warn);
  reports.watch(chat, watchNavigation());

  const optOut = () => {
    session.stop();
    launcher.stop();
    reports.stop();
    reporter.clear();
    handover.claimAll();
    // Whatever else of this site is stored goes too (also keys earlier versions wrote, such as "zone").
    for (const key of store.keys("")) store.remove(key);
    store.set("optout", "1");
  };
  const commands = {
    _page: pageView,
    track: session.track,
    conversion: (goal, value) => session.track({ type: "conversion", goal, ...(value === undefined ? {} : { value }) }),
    tag: (name) => session.track({ type: "tag", name }),
    chat: (action, detail) => chat.command(action, detail),
    onKpis: (callback) => live.subscribe(callback),
    onEvent: session.listen,
    consent: (given) => consent.command(given, { onOptedOut: optOut, onStored: () => reportOrphans(handover.claimAll()) }),
    flush: reports.flush,
    optOut,
    optIn: () => store.remove("optout"),
  };
  // A vendor already on the page is attached before queued calls run and the
  // page sees the widget started, so no handler of the page slips between.
  // Calls the page (or the loader's page views) queued meanwhile run after
  // the ones taken at the start, consent among them as a command.
  await Promise.all([chat.ready, nextTask()]);
  exposeApi(commands, () => session.stopped, [...queued.calls, ...drainQueue(queue, warn)], warn);
  reporter.flush();
}

/** Resolves in a task of its own (`scheduler.yield` where the browser has it: the start then resumes ahead of tasks of its priority queued meanwhile). */
function nextTask() {
  const { scheduler } = window;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve));
}

/**
 * `supportKpi('_page', ts, path)`, the loader's page views. Availability
 * follows the opening hours unless the chat vendor reports it.
 */
function watchPageViews(options, session, chat, launcher, warn) {
  return (ts, path) => {
    if (!Number.isFinite(ts) || typeof path !== "string") return warn("supportKpi('_page', ts, path) is the loader's: it needs a time and a path");
    session.pageView(ts, isSupportPage(options, path), !chat.hasAvailability());
    launcher.newPageView();
  };
}
