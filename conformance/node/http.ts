// Node-only: serves a fetch handler over real sockets on 127.0.0.1 with @hono/node-server.
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1 on a free port, over HTTPS when `tls` is given. */
export function listen(
  handler: (request: Request, env: unknown) => Response | Promise<Response>,
  tls?: { key: string; cert: string },
): Promise<Listening> {
  return new Promise((resolve) => {
    const options = tls
      ? { fetch: handler, port: 0, hostname: "127.0.0.1", createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } }
      : { fetch: handler, port: 0, hostname: "127.0.0.1" };
    const server = serve(options, (info: AddressInfo) => {
      resolve({
        url: `${tls ? "https" : "http"}://localhost:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
