// Node-only: the host capabilities Node offers the suite (TLS servers, plain HTTP listeners,
// util.inspect).
import { inspect } from "node:util";
import type { Host, HostCapability } from "../types.ts";
import { listen } from "./http.ts";
import { createTlsHost } from "./tls.ts";

type NodeEnv = { incoming?: { socket?: { destroy(): void } } } | undefined;

/**
 * A response whose body, when it errors, destroys the socket: the client sees a connection reset
 * mid-body. (@hono/node-server would log the error and may end the chunked body cleanly first.)
 */
function resetOnBodyError(response: Response, env: NodeEnv): Response {
  const socket = env?.incoming?.socket;
  if (response.body === null || socket === undefined) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        socket.destroy();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

export function nodeHost(): Host {
  const tls = createTlsHost();
  const capabilities: HostCapability[] = ["inspect", "real_http"];
  if (tls) capabilities.push("tls");
  return {
    name: `node ${process.version}`,
    capabilities,
    inspect: (value) => inspect(value, { depth: Infinity }),
    http: { serve: (handler) => listen(async (request, env) => resetOnBodyError(await handler(request), env as NodeEnv)) },
    ...(tls ? { tls } : {}),
  };
}
