// A hostile HTTP/1.1 server on raw sockets, for what the conformance fake cannot send: header
// values with any bytes, bodies of any size or without end. Plain http on 127.0.0.1, or TLS with
// any certificate.
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";

/** A request as the server read it. */
export interface HostileRequest {
  /** The method. */
  readonly method: string;
  /** The path with its query. */
  readonly path: string;
  /** The body, as text. */
  readonly body: string;
}

/** A body that is sent in chunks: `size` bytes in all, or without end. */
export interface StreamedBody {
  /** Written first (the start of a JSON document, say). */
  readonly prefix: string;
  /** Repeated until `size` bytes are sent or the client goes away. */
  readonly filler: string;
  /** Total bytes; `Infinity` sends until the client closes the connection. */
  readonly size: number;
}

/** What the server answers. */
export interface HostileReply {
  /** The status. @default 200 */
  readonly status?: number;
  /** Header lines, in order; each character of a value is sent as one byte (latin1). */
  readonly headers?: readonly (readonly [string, string])[];
  /** The body: text (UTF-8) or a streamed body. @default "" */
  readonly body?: string | StreamedBody;
}

/** A running hostile server. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` (or `https://localhost:<port>` with TLS). */
  readonly url: string;
  /** `host:port`, for `--dangerously-allow-http`. */
  readonly host: string;
  /** Every request, oldest first. */
  readonly requests: HostileRequest[];
  /** Bytes of body the sockets took, over all responses (what the client read, plus socket buffers). */
  readonly bytesSent: () => number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;

function readRequest(socket: Socket): Promise<HostileRequest | undefined> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = buffer.subarray(0, end).toString("latin1");
      const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      socket.off("data", onData);
      const [method = "", path = ""] = head.split(" ");
      resolve({ method, path, body: buffer.subarray(end + 4, end + 4 + length).toString("utf8") });
    };
    socket.on("data", onData);
    socket.once("close", () => resolve(undefined));
  });
}

/** Writes a body in chunks as the client takes them, until `size` bytes or the client goes away. */
async function stream(socket: Socket, body: StreamedBody | Buffer, count: (n: number) => void): Promise<void> {
  const streamed = !Buffer.isBuffer(body);
  const filler = streamed ? Buffer.from(body.filler.repeat(Math.max(1, Math.floor(CHUNK_BYTES / body.filler.length)))) : Buffer.alloc(0);
  let pending = streamed ? Buffer.from(body.prefix) : body;
  let left = streamed ? body.size : body.length;
  while (left > 0 && !socket.destroyed && socket.writable) {
    if (pending.length === 0) pending = filler;
    const chunk = pending.subarray(0, Math.min(CHUNK_BYTES, left));
    pending = pending.subarray(chunk.length);
    count(chunk.length);
    left -= chunk.length;
    if (!socket.write(chunk)) await new Promise<void>((resolve) => (socket.once("drain", resolve), socket.once("close", resolve)));
  }
  socket.end();
}

/**
 * Starts a hostile server.
 *
 * @param route What to answer to each request.
 * @param tls A key and certificate: serve TLS with them (any certificate, trusted or not).
 * @returns The running server.
 */
export function startHostileServer(route: (request: HostileRequest) => HostileReply, tls?: { key: string; cert: string }): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  let sent = 0;
  const handle = async (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    const request = await readRequest(socket);
    if (request === undefined) return;
    requests.push(request);
    const reply = route(request);
    const status = reply.status ?? 200;
    const body = reply.body ?? "";
    const lines = [`HTTP/1.1 ${status} Hostile`, ...(reply.headers ?? []).map(([name, value]) => `${name}: ${value}`), "Connection: close"];
    if (typeof body === "string") lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    else if (Number.isFinite(body.size)) lines.push(`Content-Length: ${body.size}`);
    socket.write(Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"));
    await stream(socket, typeof body === "string" ? Buffer.from(body) : body, (n) => (sent += n));
  };
  const server: Server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, (socket) => void handle(socket)) : createTcpServer((socket) => void handle(socket));
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        requests,
        bytesSent: () => sent,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Runs `use` against a hostile server made from `route`, then stops the server.
 *
 * @param route Makes the request handler, given the server's URL (for metadata that names it).
 * @param use What to do with the running server.
 * @returns What `use` returns.
 */
export async function withHostileServer<T>(route: (origin: string) => (request: HostileRequest) => HostileReply, use: (server: HostileServer) => Promise<T>): Promise<T> {
  let handler: ((request: HostileRequest) => HostileReply) | undefined;
  const server = await startHostileServer((request) => handler!(request));
  handler = route(server.url);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

/** A JSON reply, `application/json` unless `headers` name another content type. */
export function jsonReply(body: unknown, headers: readonly (readonly [string, string])[] = []): HostileReply {
  return { headers: headers.some(([name]) => /^content-type$/i.test(name)) ? headers : [["Content-Type", "application/json"], ...headers], body: JSON.stringify(body) };
}
