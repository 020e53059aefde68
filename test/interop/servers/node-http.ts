// Small node:http(s) plumbing shared by the Node-based servers: listen on a free loopback port,
// read a body, answer JSON, and close for good.
import { once } from "node:events";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens on 127.0.0.1 on a free port.
 *
 * @param server An http or https server.
 * @returns The port and a `close()` that drops open connections and waits.
 */
export async function listenOnLoopback(server: Server): Promise<{ port: number; close(): Promise<void> }> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = once(server, "close");
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Answers with a JSON body and the given headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** The bearer token of a request, if its `Authorization` header carries exactly one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer ([\x21-\x7E]+)$/i.exec(req.headers.authorization ?? "")?.[1];
}
