// A recording HTTP proxy for tests that must see every request a browser
// sends over the network, those a page sends while it unloads (keepalive
// fetches, beacons) and those from workers included, which Playwright's
// request events can miss. It forwards plain HTTP and tunnels CONNECT, and
// records each request with the headers the browser really sent (cookies
// included, which Playwright's `request.headers()` leaves out).
import { createServer, request as forward } from "node:http";
import { connect } from "node:net";

/**
 * Starts the proxy on loopback. Returns `{ server, requests, close }`:
 * `server` for a context's `proxy` option, `requests` the list of `{
 * method, url, headers, body }` (CONNECT tunnels as `url` "host:port",
 * their contents unseen).
 */
export async function startRecordingProxy() {
  const requests = [];
  const proxy = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString("utf8") });
    const upstream = forward(req.url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    upstream.end(body);
  });
  proxy.on("connect", (req, socket, head) => {
    requests.push({ method: "CONNECT", url: req.url, headers: req.headers, body: "" });
    const [host, port] = req.url.split(":");
    const tunnel = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      tunnel.write(head);
      tunnel.pipe(socket).pipe(tunnel);
    });
    tunnel.on("error", () => socket.destroy());
    socket.on("error", () => tunnel.destroy());
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    server: `http://127.0.0.1:${proxy.address().port}`,
    requests,
    close: () => new Promise((resolve) => (proxy.close(resolve), proxy.closeAllConnections())),
  };
}
