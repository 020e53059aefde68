// The unit tests' view of the one fake authorization and resource server (conformance/fake/
// server.ts, which the conformance scenarios use too): the fake records every request and serves
// in process with Fetch-standard semantics; this layer lets a test script answers as plain
// `Response`s, issues tokens to any client (client authentication is graded by the scenarios),
// and drives a keeper with a clock the test moves by hand.
import { createFakeServer, type FakeServer, type RecordedRequest as FakeRequest, type Script } from "../../conformance/fake/server.ts";
import { clock, createTokenKeeper, isTokenKeeperError, type TokenKeeper, type TokenKeeperError, type TokenKeeperEvent, type TokenKeeperOptions } from "../../mod.ts";

/** A request as a unit test reads it. */
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

/** A clock the test moves by hand; the keeper and the fake server both read it. */
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
  /** The fake server underneath: its raw request log, its issued tokens. */
  fake: FakeServer;
  clock: ManualClock;
  /** The in-process fetch to hand a keeper (a test may wrap it before it does). */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly tokenRequests: RecordedRequest[];
  readonly resourceRequests: RecordedRequest[];
  /** The values of the tokens issued, in order. */
  readonly issued: string[];
  /** Replies for the next token requests, in order; when empty, a fresh token with `expiresIn`. */
  replies: TokenReply[];
  /** How the resource servers answer; default: 200 to a Bearer token this server issued, else 401 invalid_token. */
  resource: (request: RecordedRequest) => Response | Promise<Response>;
  /** `expires_in` of the tokens issued by default; `undefined` leaves it out. */
  expiresIn: number | undefined;
}

/** The origins a unit test's keeper may call, besides the token endpoint's. */
const resourceOrigins = ["https://rs.test", "https://api2.test", "https://api.test", "https://other.test"];

const seen = new WeakMap<FakeRequest, RecordedRequest>();
/** The unit tests' view of a recorded request (the same object each time it is asked for). */
function view(request: FakeRequest): RecordedRequest {
  let recorded = seen.get(request);
  if (recorded === undefined) {
    recorded = { method: request.method, url: request.url, headers: new Headers(request.headers), body: request.text };
    seen.set(request, recorded);
  }
  return recorded;
}

/**
 * The fake server scripted for unit tests. `script` adds to the defaults: metadata at the issuer,
 * another issuer or token endpoint.
 */
export function createTestServer(script: Script = {}): TestServer {
  const manual = new ManualClock();
  const fake = createFakeServer({
    clock: manual,
    resourceOrigins,
    ...script,
    token: async (request) => {
      const reply = server.replies.shift();
      return { response: reply ? await reply(view(request), fake.tokenRequests().length) : issueToken(server) };
    },
    resource: async (request) => ({ response: await server.resource(view(request)) }),
  });
  const server: TestServer = {
    fake,
    clock: manual,
    fetch: fake.fetch,
    get tokenRequests() {
      return fake.tokenRequests().map(view);
    },
    get resourceRequests() {
      return fake.resourceRequests().map(view);
    },
    get issued() {
      return fake.issued.map((token) => token.value);
    },
    replies: [],
    expiresIn: 300,
    resource: (request) => {
      const auth = request.headers.get("authorization");
      const ok = auth !== null && auth.startsWith("Bearer ") && fake.find(auth.slice("Bearer ".length)) !== undefined;
      return ok ? json({ ok: true, body: request.body }) : new Response("no", { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
    },
  };
  return server;
}

/** Issues a token (the fake server records it) and answers with it, `extra` members added. */
export function issueToken(server: TestServer, extra: Record<string, unknown> = {}): Response {
  const token = server.fake.issue({ expiresIn: server.expiresIn ?? null });
  return json({ access_token: token.value, token_type: "Bearer", ...(server.expiresIn === undefined ? {} : { expires_in: server.expiresIn }), ...extra });
}

export interface Harness {
  server: TestServer;
  clock: ManualClock;
  keeper: TokenKeeper;
  events: TokenKeeperEvent[];
}

export const SECRET = "SENTINEL_SECRET_7Fjfp0ZBr1KtDRbnfVdmIw";

export function harness(options: { [K in keyof TokenKeeperOptions]?: TokenKeeperOptions[K] | undefined } = {}, server: TestServer = createTestServer()): Harness {
  const events: TokenKeeperEvent[] = [];
  const keeper = createTokenKeeper({
    tokenEndpoint: "https://as.test/token",
    clientId: "s6BhdRkqt3",
    clientSecret: SECRET,
    baseUrl: "https://rs.test",
    onEvent: (event) => events.push(event),
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    fetch: server.fetch,
    [clock]: server.clock,
    ...options,
  } as TokenKeeperOptions);
  return { server, clock: server.clock, keeper, events };
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
