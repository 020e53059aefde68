// A small in-process token server and resource server for unit tests: a Hono app passed to the
// keeper as its custom fetch. It records every token request raw and lets a test script answers.
import { Hono } from "hono";
import { clock, createTokenKeeper, isTokenKeeperError, type TokenKeeper, type TokenKeeperError, type TokenKeeperEvent, type TokenKeeperOptions } from "../../mod.ts";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export type TokenReply = (request: RecordedRequest, n: number) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", ...headers },
  });
}

export class ManualClock {
  t: number;
  constructor(t = 1_700_000_000_000) {
    this.t = t;
  }
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestServer {
  app: Hono;
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  tokenRequests: RecordedRequest[];
  resourceRequests: RecordedRequest[];
  issued: string[];
  /** Replies for the next token requests, in order; when empty, a fresh token with expires_in 300. */
  replies: TokenReply[];
  /** How the resource server answers; default: 200 when the token is the latest issued one. */
  resource: (request: RecordedRequest) => Response | Promise<Response>;
  expiresIn: number | undefined;
}

let counter = 0;

export function createTestServer(): TestServer {
  const server: TestServer = {
    app: new Hono(),
    fetch: async (input, init) => server.app.fetch(new Request(input, init)),
    tokenRequests: [],
    resourceRequests: [],
    issued: [],
    replies: [],
    expiresIn: 300,
    resource: (request) => {
      const auth = request.headers.get("authorization");
      const ok = auth !== null && server.issued.includes(auth.replace(/^Bearer /, "")) && auth.startsWith("Bearer ");
      return ok ? json({ ok: true, body: request.body }) : new Response("no", { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
    },
  };
  const record = async (req: Request): Promise<RecordedRequest> => ({
    method: req.method,
    url: req.url,
    headers: new Headers(req.headers),
    body: await req.text(),
  });
  server.app.post("/token", async (c) => {
    const request = await record(c.req.raw);
    server.tokenRequests.push(request);
    const reply = server.replies.shift();
    if (reply) return reply(request, server.tokenRequests.length);
    return issueToken(server);
  });
  server.app.all("/api/*", async (c) => {
    const request = await record(c.req.raw);
    server.resourceRequests.push(request);
    return server.resource(request);
  });
  return server;
}

export function issueToken(server: TestServer, extra: Record<string, unknown> = {}): Response {
  const token = `tok-${++counter}-${Math.random().toString(36).slice(2)}`;
  server.issued.push(token);
  return json({ access_token: token, token_type: "Bearer", ...(server.expiresIn === undefined ? {} : { expires_in: server.expiresIn }), ...extra });
}

export interface Harness {
  server: TestServer;
  clock: ManualClock;
  keeper: TokenKeeper;
  events: TokenKeeperEvent[];
}

export const SECRET = "SENTINEL_SECRET_7Fjfp0ZBr1KtDRbnfVdmIw";

export function harness(options: { [K in keyof TokenKeeperOptions]?: TokenKeeperOptions[K] | undefined } = {}, server: TestServer = createTestServer()): Harness {
  const manual = new ManualClock();
  const events: TokenKeeperEvent[] = [];
  const keeper = createTokenKeeper({
    tokenEndpoint: "https://as.test/token",
    clientId: "s6BhdRkqt3",
    clientSecret: SECRET,
    baseUrl: "https://rs.test",
    onEvent: (event) => events.push(event),
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    fetch: server.fetch,
    [clock]: manual,
    ...options,
  } as TokenKeeperOptions);
  return { server, clock: manual, keeper, events };
}

/** What `promise` rejects with, which must be a TokenKeeperError. */
export async function failure(promise: Promise<unknown>): Promise<TokenKeeperError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isTokenKeeperError(error)) throw new Error(`expected a TokenKeeperError, got ${String(error)}`);
  return error;
}

export function form(request: RecordedRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** Lets queued microtasks and macrotasks run (no wall-clock dependence). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
