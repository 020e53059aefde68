// Node-only: a bridge from a library's own node:http(s) client to the suite's env.fetch, for
// libraries that take no fetch (simple-oauth2 over @hapi/wreck). The library keeps its URLs
// (https://as.test/token) and its HTTP client; the bridge's agents connect every socket to a
// loopback listener, which replays each request through env.fetch (redirect "manual", so the
// library's own redirect policy decides) and writes the answer back. A transport failure in
// env.fetch, or a body that errors mid-way, resets the library's socket.
import { Agent as HttpAgent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { FetchLike } from "../types.ts";

/** Node agents for the library, in @hapi/wreck's `agents` shape, and a way to stop. */
export interface FetchBridge {
  agents: { http: HttpAgent; https: HttpsAgent; httpsAllowUnauthorized: HttpsAgent };
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? Uint8Array.from(Buffer.concat(chunks)) : null;
}

function handler(scheme: "http" | "https", fetch: FetchLike) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const controller = new AbortController();
    res.on("close", () => void (res.writableFinished || controller.abort()));
    try {
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const payload = await body(req);
      const response = await fetch(`${scheme}://${req.headers.host}${req.url}`, {
        method: req.method ?? "GET",
        headers,
        body: payload,
        redirect: "manual",
        signal: controller.signal,
      });
      res.writeHead(response.status, response.statusText, [...response.headers].flat());
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    } catch {
      req.socket.destroy();
    }
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * Starts a bridge to `fetch`: two loopback listeners (one per scheme) and agents whose sockets
 * go to them whatever host the library asks for.
 */
export async function bridgeToFetch(fetch: FetchLike): Promise<FetchBridge> {
  const servers = { http: createServer(handler("http", fetch)), https: createServer(handler("https", fetch)) };
  const [httpPort, httpsPort] = await Promise.all([listen(servers.http), listen(servers.https)]);
  const to = (port: number) => (): Socket => connect({ port, host: "127.0.0.1" });
  class BridgedHttpAgent extends HttpAgent {
    override createConnection = to(httpPort) as HttpAgent["createConnection"];
  }
  // The plain socket stands in for TLS: the https client writes HTTP/1.1 to whatever socket its
  // agent gives it, and env.fetch does the transport's work (certificates included).
  class BridgedHttpsAgent extends HttpsAgent {
    override createConnection = to(httpsPort) as HttpsAgent["createConnection"];
  }
  return {
    agents: { http: new BridgedHttpAgent(), https: new BridgedHttpsAgent(), httpsAllowUnauthorized: new BridgedHttpsAgent() },
    close: async () => void (await Promise.all([close(servers.http), close(servers.https)])),
  };
}
