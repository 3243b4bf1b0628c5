// The fixture help site with one tool on every page, served as a production
// host would: brotli (quality 11, compressed once), long-lived immutable
// caching for content-hashed names, five minutes for the rest (as the
// collector serves the widget's loader), and stub endpoints that answer the
// tool's hits. Logs every request with its arrival time and the body bytes
// sent, so the bench counts what crossed the network.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const SITE = fileURLToPath(new URL("../../tests/e2e/fixtures/site", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
/** The widget's tag in the fixture pages (one per page, `<script defer src="/support-kpi/widget.js" …></script>`). */
const WIDGET_TAG = /<script defer src="\/support-kpi\/widget\.js"[\s\S]*?<\/script>/;
/** esbuild's content hashes (`widget-runtime-2JQ4ZP7E.js`). */
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;

/** What a request was: the page itself (documents, style sheet), a file of the tool, or a hit. */
export function kind(request) {
  if (request.hit) return "hit";
  return request.path.endsWith("/") || request.path.endsWith(".html") || request.path === "/style.css" || request.path === "/favicon.ico" ? "page" : "file";
}

/** Starts the site with `tool` (from peerTools) on every page. Returns `{ url, requests, inFlight, isHit, close }`. */
export async function startPeerSite(tool) {
  const requests = [];
  const compressed = new Map();
  let inFlight = 0;
  const stubOf = (path) => Object.keys(tool.stubs).find((p) => (p.endsWith("/") ? path.startsWith(p) : path === p));
  const body = async (file) => {
    if (!compressed.has(file)) {
      let content = await readFile(file);
      if (file.endsWith(".html") && tool.tag !== null) content = Buffer.from(content.toString("utf8").replace(WIDGET_TAG, tool.tag));
      compressed.set(file, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
    return compressed.get(file);
  };
  const server = createServer(async (req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    const path = new URL(req.url, "http://x").pathname;
    const request = { method: req.method, path, at: Date.now(), bytes: 0, hit: false };
    requests.push(request);
    for await (const chunk of req) void chunk; // a hit's body is read and dropped: hits count as requests
    const stub = stubOf(path);
    if (stub) {
      request.hit = true;
      const { status, body: text } = tool.stubs[stub];
      const cors = { "access-control-allow-origin": req.headers.origin ?? "*", "access-control-allow-headers": "content-type" };
      if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
      return void res.writeHead(status, { ...cors, "content-type": "application/json" }).end(text);
    }
    const mount = Object.keys(tool.mounts).find((prefix) => path.startsWith(prefix));
    const base = mount ? tool.mounts[mount] : SITE;
    const file = normalize(join(base, decodeURIComponent(mount ? path.slice(mount.length) : path)));
    if (!file.startsWith(normalize(base))) return void res.writeHead(403).end();
    const target = path.endsWith("/") ? join(file, "index.html") : file;
    try {
      const content = await body(target);
      request.bytes = content.length;
      res.writeHead(200, {
        "content-type": TYPES[extname(target)] ?? "application/octet-stream",
        "content-encoding": "br",
        "cache-control": HASHED.test(target) ? "public, max-age=31536000, immutable" : "public, max-age=300",
      });
      res.end(content);
    } catch {
      request.bytes = 0;
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    inFlight: () => inFlight,
    isHit: (path) => stubOf(path) !== undefined,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
