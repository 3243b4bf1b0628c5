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
 * Starts a server on 127.0.0.1 serving files below `root`.
 * `routes` maps a path to a handler `(req, res, body) => void` for dynamic answers.
 * Returns `{ url, requests, close }`; `requests` lists `{ method, path, headers, body }`.
 */
export async function startServer(root, { routes = {}, headers = {} } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url, "http://x").pathname;
    requests.push({ method: req.method, url: req.url, path, headers: req.headers, body });
    const route = routes[path];
    if (route) return route(req, res, body);
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
    try {
      const content = await readFile(file.endsWith("/") ? join(file, "index.html") : file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers });
      res.end(content);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}
