// The tools the peer benchmark puts on the same help-article page: the
// support-kpi widget, four analytics scripts a site would pick instead, and
// the page alone. Each names the files it serves, the tag that goes where the
// fixture pages carry the widget's tag, the endpoints a stub answers, and
// when it has started on a page.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const modules = (name) => join(ROOT, "node_modules", name);
const version = (name) => JSON.parse(readFileSync(join(modules(name), "package.json"), "utf8")).version;

/**
 * Umami's tracker. npm has no package that ships Umami's built
 * `script.js`: the `umami` package (2.10.0, the last Umami release on npm)
 * is the whole server and ships the tracker only as its source,
 * `src/tracker/index.js`, with 54 runtime dependencies (Next.js, Prisma, …)
 * that a dev dependency would install. So the bench fetches that one
 * tarball with `npm pack` (pinned here) and minifies the tracker as Umami's
 * own `rollup.tracker.config.mjs` does (IIFE, minified).
 */
export const UMAMI = "umami@2.10.0";

async function umamiScript() {
  const dir = join(ROOT, "target/bench-peers");
  const script = join(dir, "umami", "script.js");
  if (existsSync(script)) return join(dir, "umami");
  mkdirSync(join(dir, "umami"), { recursive: true });
  const pack = spawnSync("npm", ["pack", UMAMI, "--silent", "--pack-destination", dir], { encoding: "utf8" });
  if (pack.status !== 0) throw new Error(`npm pack ${UMAMI} failed: ${pack.stderr}`);
  const tarball = join(dir, pack.stdout.trim().split("\n").pop());
  const untar = spawnSync("tar", ["xzf", tarball, "-C", dir, "package/src/tracker/index.js"], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${untar.stderr}`);
  await build({ entryPoints: [join(dir, "package/src/tracker/index.js")], outfile: script, bundle: false, minify: true, format: "iife", logLevel: "error" });
  writeFileSync(join(dir, "umami", "VERSION"), UMAMI);
  return join(dir, "umami");
}

/** web-vitals' README pattern: queue each metric, send the batch with sendBeacon when the page hides. */
const VITALS_REPORTER = `<script>
  window.vitalsQueue = new Set();
  addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && vitalsQueue.size) {
      navigator.sendBeacon("/api/vitals", JSON.stringify([...vitalsQueue]));
      vitalsQueue.clear();
    }
  });
  window.startVitals = function () {
    ["onCLS", "onFCP", "onINP", "onLCP", "onTTFB"].forEach(function (on) { webVitals[on](function (m) { vitalsQueue.add(m); }); });
    window.vitalsStarted = true;
  };
</script>`;

/**
 * The tools, in table order. `tag`: what replaces the widget's script tag;
 * `mounts`: URL prefix → directory; `stubs`: endpoint paths answered with
 * `{ status, body }`; `started`: a page-side expression true once the tool
 * has started; `label`: the table's name.
 */
export async function peerTools() {
  const pkg = join(ROOT, "pkg");
  return [
    { id: "none", label: "page alone", tag: "", mounts: {}, stubs: {}, started: "true" },
    {
      id: "widget",
      label: "support-kpi widget",
      tag: null, // the fixture pages' own tag
      mounts: { "/support-kpi/": pkg },
      stubs: { "/api/report": { status: 202, body: "{}" } },
      started: "window.supportKpi?.started === true",
    },
    {
      id: "plausible",
      label: `Plausible tracker (npm \`@plausible-analytics/tracker\` ${version("@plausible-analytics/tracker")})`,
      tag: `<script type="module">import { init } from "/peers/plausible/plausible.js"; init({ domain: "help.acme.example", endpoint: "/api/event", captureOnLocalhost: true });</script>`,
      mounts: { "/peers/plausible/": modules("@plausible-analytics/tracker") },
      stubs: { "/api/event": { status: 202, body: "ok" } },
      started: "window.plausible?.l === true",
    },
    {
      id: "umami",
      label: `Umami tracker (npm \`${UMAMI}\`, \`src/tracker\` minified)`,
      tag: `<script defer src="/peers/umami/script.js" data-website-id="94db1cb1-74f4-4a40-ad6c-962362670409" data-host-url=""></script>`,
      mounts: { "/peers/umami/": await umamiScript() },
      stubs: { "/peers/umami/api/send": { status: 200, body: "{}" } },
      started: "typeof window.umami?.track === 'function'",
    },
    {
      id: "web-vitals",
      label: `web-vitals ${version("web-vitals")} (IIFE)`,
      tag: `${VITALS_REPORTER}<script defer src="/peers/web-vitals/dist/web-vitals.iife.js" onload="startVitals()"></script>`,
      mounts: { "/peers/web-vitals/": modules("web-vitals") },
      stubs: { "/api/vitals": { status: 204, body: "" } },
      started: "window.vitalsStarted === true",
    },
    {
      id: "posthog",
      label: `posthog-js ${version("posthog-js")} (\`array.js\`)`,
      tag: `<script defer src="/peers/posthog/dist/array.js" onload="posthog.init('phc_bench', { api_host: location.origin + '/ph', defaults: '2025-05-24' })"></script>`,
      mounts: { "/peers/posthog/": modules("posthog-js") },
      stubs: { "/ph/": { status: 200, body: "{}" } }, // a prefix: flags, config and every capture endpoint
      started: "window.posthog?.__loaded === true",
    },
  ];
}
