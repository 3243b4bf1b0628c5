// A static file server for browser tests that also records every request,
// so a test can assert exactly what a page sent.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css",
};

/**
 * Starts a server on 127.0.0.1 serving files below `root`; `mounts` maps URL
 * prefixes to other directories (e.g. `{ "/support-kpi/": "/repo/pkg" }`).
 * `routes` maps a path to a handler `(req, res, body) => void` for dynamic answers;
 * `headers(path)` adds response headers to files.
 * Returns `{ url, requests, close }`; `requests` lists `{ method, path, headers, body }`.
 */
export async function startServer(root, { routes = {}, mounts = {}, headers = () => ({}) } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url, "http://x").pathname;
    requests.push({ method: req.method, url: req.url, path, headers: req.headers, body });
    const route = routes[path];
    if (route) return route(req, res, body);
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const base = mount ? mounts[mount] : root;
    const file = normalize(join(base, decodeURIComponent(mount ? path.slice(mount.length) : path)));
    if (!file.startsWith(normalize(base))) return void res.writeHead(403).end();
    const target = path.endsWith("/") ? join(file, "index.html") : file;
    try {
      const content = await readFile(target);
      res.writeHead(200, { "content-type": TYPES[extname(target)] ?? "application/octet-stream", ...headers(path) });
      res.end(content);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}
