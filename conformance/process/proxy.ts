// Node-only: the HTTP proxy in front of a process subject. A program in another language cannot
// take the suite's in-process fetch, so it talks HTTP to this proxy on loopback, the way it would
// talk to any forward proxy: `CONNECT as.test:443` for https URLs (answered with a certificate for
// that host from the suite's CA, ca.ts) and absolute-form requests (`POST http://as.test/token`)
// for plain http. Every request is then replayed through the scenario's env.fetch with
// `redirect: "manual"`, so the program keeps its real URLs (distinct origins stay distinct), its
// own redirect policy and its own timeouts, and the suite sees and scripts every byte as it does
// for an in-process subject. A transport failure of env.fetch, or a body that errors mid-way,
// resets the program's connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { FetchLike } from "../types.ts";
import type { ProcessCa } from "./ca.ts";

/** A running proxy: its URL for the program, and a way to stop it. */
export interface ProcessProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops listening and destroys every connection (tunnels included). */
  close(): Promise<void>;
  /** Lets the suite's process exit while the proxy listens (a spare's proxy). */
  unref(): void;
}

// Connection-level headers belong to the hop between the program and the proxy, not to the
// request the fake servers see (RFC 9110 §7.6.1); Host is carried by the URL.
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"]);

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? Uint8Array.from(Buffer.concat(chunks)) : null;
}

/** Serves one request by replaying it through `fetch` to `url`. */
async function forward(fetch: FetchLike, url: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => void (res.writableFinished || controller.abort()));
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (!HOP.has(req.rawHeaders[i]!.toLowerCase())) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    }
    const body = await readBody(req);
    const response = await fetch(url, { method: req.method ?? "GET", headers, body, redirect: "manual", signal: controller.signal });
    const out: string[] = [];
    for (const [name, value] of response.headers) if (!HOP.has(name)) out.push(name, value);
    res.writeHead(response.status, response.statusText, out);
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch {
    req.socket.destroy();
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts a proxy that sends everything a program asks for through `fetch`.
 *
 * @param fetch The scenario's transport (env.fetch).
 * @param ca The CA whose leaf certificates answer CONNECT requests.
 */
export async function proxyToFetch(fetch: FetchLike, ca: ProcessCa): Promise<ProcessProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  // Where each tunnel goes (`https://as.test`), by the TLS socket that carries it.
  const tunnels = new WeakMap<object, string>();
  const inner = createServer((req, res) => {
    const origin = tunnels.get(req.socket);
    if (origin === undefined) return void req.socket.destroy();
    void forward(fetch, `${origin}${req.url ?? "/"}`, req, res);
  });
  const outer = createServer((req, res) => {
    // A plain-http request through a proxy names the whole URL (RFC 9112 §3.2.2, absolute-form).
    if (!/^http:\/\//i.test(req.url ?? "")) {
      res.writeHead(400, { "content-type": "text/plain" }).end("this is a forward proxy: send absolute-form requests (http://host/path) or CONNECT\n");
      return;
    }
    void forward(fetch, req.url!, req, res);
  });
  outer.on("connection", track);
  outer.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    track(socket);
    socket.on("error", () => socket.destroy());
    const authority = req.url ?? "";
    const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(authority);
    if (!match) return void socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    const [, host, port] = match;
    ca.context(host!).then(
      (secureContext) => {
        if (socket.destroyed) return;
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) socket.unshift(head);
        const tls = new TLSSocket(socket, { isServer: true, secureContext });
        tls.on("error", () => socket.destroy());
        tunnels.set(tls, `https://${host}${port === "443" ? "" : `:${port}`}`);
        inner.emit("connection", tls);
      },
      () => socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"),
    );
  });
  const port = await listen(outer);
  return {
    url: `http://127.0.0.1:${port}`,
    unref: () => void outer.unref(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        outer.closeAllConnections();
        outer.close(() => resolve());
      }),
  };
}
