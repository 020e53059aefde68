// The fake authorization server (token endpoint, RFC 8414 metadata) and resource servers, as one
// Hono app. Every request is recorded raw and parsed by hand; every response can be scripted.
import { Hono } from "hono";
import type { FetchLike } from "../types.ts";
import type { FakeClock } from "./clock.ts";
import { createClock, skewed } from "./clock.ts";
import { realNow } from "./date.ts";
import { verifyClientAssertion, verifyDpopProof } from "./jwt.ts";
import type { BasicCredential, FormBody } from "./parse.ts";
import { mediaType, parseBasic, parseForm } from "./parse.ts";
import type { Reply } from "./reply.ts";
import { FAULT_HEADER, NO_STORE, render } from "./reply.ts";

/** One request as the server saw it. */
export interface RecordedRequest {
  seq: number;
  kind: "token" | "metadata" | "resource" | "other";
  method: string;
  url: string;
  origin: string;
  path: string;
  /** The raw query, without `?`. */
  query: string;
  headers: [string, string][];
  header(name: string): string | null;
  body: Uint8Array;
  text: string;
  mediaType: string;
  form: FormBody;
  basic: BasicCredential | undefined;
  /** Fake clock time (ms). */
  time: number;
  /** Real time (ms), for retry and backoff timing. */
  realTime: number;
  /** Problems the default handlers found (assertion claims, DPoP proof): breaks of an RFC MUST. */
  problems: string[];
  /** Departures from practice the default handlers noted but accepted (assertion audience, lifetime, jti). */
  advisories: string[];
}

/** A token the server issued. */
export interface IssuedToken {
  value: string;
  tokenType: string;
  issuedAt: number;
  /** Fake-clock ms; `undefined` when the response had no lifetime. */
  expiresAt: number | undefined;
  scope: string | undefined;
  resource: string[];
  jkt: string | undefined;
}

/** A registered client. */
export interface ClientRegistration {
  id: string;
  secret?: string;
  methods: readonly ("client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt" | "none")[];
  publicKey?: CryptoKey;
  alg?: string;
}

export type Handler = (req: RecordedRequest, server: FakeServer) => Reply | undefined | Promise<Reply | undefined>;

/** What a scenario scripts. Everything is optional; defaults model a well-behaved AS and RS. */
export interface Script {
  clock?: FakeClock;
  /** @default "https://as.test" */
  issuer?: string;
  /** @default issuer + "/token" */
  tokenEndpoint?: string;
  /**
   * Metadata fields merged over the defaults; `false` answers 404. Metadata is served only where
   * the issuer says: RFC 8414 §3.1 (`/.well-known/oauth-authorization-server` inserted before the
   * issuer's path) and OpenID Connect Discovery §4 (`/.well-known/openid-configuration` appended).
   */
  metadata?: Record<string, unknown> | false;
  /** Which of the two metadata URLs answer. @default both */
  metadataAt?: readonly ("rfc8414" | "oidc")[];
  /**
   * How far the server's clock runs ahead of the scenario's (negative: behind), in ms: it issues,
   * expires and dates (`Date` header) by its own clock. @default 0
   */
  clockSkewMs?: number;
  /** @default client "s6BhdRkqt3" with secret "7Fjfp0ZBr1KtDRbnfVdmIw", post or basic */
  client?: ClientRegistration;
  /** `expires_in` of default tokens; `null` omits it. @default {@link TOKEN_LIFETIME_S} */
  expiresIn?: number | null;
  /** `token_type` of default tokens. @default "Bearer" */
  tokenType?: string;
  /** Runs first for token requests; `undefined` falls back to the default. */
  token?: Handler;
  /** Runs first for resource requests; `undefined` falls back to the default. */
  resource?: Handler;
  /** Handlers for other origins (e.g. "https://evil.test"). */
  origins?: Record<string, Handler>;
  /** Resource server origins. @default https://rs.test, https://rs1.test, https://rs2.test */
  resourceOrigins?: readonly string[];
  /** DPoP at the AS: nonce the token endpoint demands. */
  dpopNonce?: string;
  /**
   * Reject what RFC 6749 forbids (non-form bodies, repeated parameters, two authentication
   * methods) with 400. Off by default: the default AS is lenient so that each scenario's own checks,
   * not a collapse of every flow, catch a broken client.
   */
  strict?: boolean;
}

export interface FakeServer {
  app: Hono;
  /** In-process transport: the app as a fetch, with Fetch-standard redirects and network faults. */
  fetch: FetchLike;
  clock: FakeClock;
  issuer: string;
  tokenEndpoint: string;
  client: ClientRegistration;
  requests: RecordedRequest[];
  issued: IssuedToken[];
  /** Values that must never appear in a report (tokens, secrets, assertions). */
  secrets: Set<string>;
  tokenRequests(): RecordedRequest[];
  resourceRequests(origin?: string): RecordedRequest[];
  /** Whether this server answers for `url`'s origin. */
  handles(url: string): boolean;
  /** Issues and registers a new token. */
  issue(options?: Partial<Omit<IssuedToken, "value" | "issuedAt">> & { expiresIn?: number | null; value?: string }): IssuedToken;
  /** The default token endpoint behaviour for a request (validation, then a new token). */
  defaultToken(req: RecordedRequest): Promise<Reply>;
  /** The default resource server behaviour. */
  defaultResource(req: RecordedRequest): Promise<Reply>;
  /** Finds an issued token by value. */
  find(value: string): IssuedToken | undefined;
}

export const DEFAULT_CLIENT: ClientRegistration = {
  id: "s6BhdRkqt3",
  secret: "7Fjfp0ZBr1KtDRbnfVdmIw",
  methods: ["client_secret_post", "client_secret_basic"],
};

/**
 * The default token lifetime, in seconds: an hour, as most authorization servers issue. Not 300:
 * a fixture lifetime equal to a library's fixed renewal offset (MSAL renews 300 s before expiry)
 * would make that library look as if it never caches.
 */
export const TOKEN_LIFETIME_S = 3600;

let tokenCounter = 0;

/** A fresh b64token with `+`, `/`, `~` and `=` in it (RS-01: the token must travel verbatim). */
export function newTokenValue(prefix = "SENTINEL_AT"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const rand = btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\//g, "_");
  return `${prefix}_${++tokenCounter}_${rand}+/~.-=`;
}

export function oauthError(status: number, error: string, description?: string, headers?: Record<string, string>): Reply {
  const json: Record<string, string> = { error };
  if (description !== undefined) json.error_description = description;
  return { status, json, headers: { ...NO_STORE, ...headers } };
}

const AUTH_METHOD_OF = (req: RecordedRequest): string[] => {
  const presented: string[] = [];
  if (req.header("authorization") !== null) presented.push("client_secret_basic");
  if (req.form.get("client_secret") !== undefined) presented.push("client_secret_post");
  if (req.form.get("client_assertion") !== undefined || req.form.get("client_assertion_type") !== undefined) presented.push("client_assertion");
  return presented;
};

/** Creates the fake servers for one scenario run. */
export function createFakeServer(script: Script = {}): FakeServer {
  const clock = script.clockSkewMs ? skewed(script.clock ?? createClock(), script.clockSkewMs) : (script.clock ?? createClock());
  const issuer = script.issuer ?? "https://as.test";
  const tokenEndpoint = script.tokenEndpoint ?? `${issuer}/token`;
  const asOrigin = new URL(issuer).origin;
  const tokenUrl = new URL(tokenEndpoint);
  const client = script.client ?? DEFAULT_CLIENT;
  const resourceOrigins = script.resourceOrigins ?? ["https://rs.test", "https://rs1.test", "https://rs2.test"];
  const requests: RecordedRequest[] = [];
  const issued: IssuedToken[] = [];
  const secrets = new Set<string>();
  const seenJti = new Set<string>();
  const signals = new WeakMap<Request, AbortSignal>();
  if (client.secret) secrets.add(client.secret);

  // RFC 8414 §3.1 inserts the well-known string before the issuer's path (its trailing "/"
  // removed); OpenID Connect Discovery §4 appends it to the issuer.
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, "");
  const metadataPaths = (script.metadataAt ?? ["rfc8414", "oidc"]).map((kind) =>
    kind === "rfc8414" ? `/.well-known/oauth-authorization-server${issuerPath}` : `${issuerPath}/.well-known/openid-configuration`
  );
  const kindOf = (url: URL): RecordedRequest["kind"] => {
    if (url.origin === tokenUrl.origin && url.pathname === tokenUrl.pathname) return "token";
    if (url.origin === asOrigin && metadataPaths.includes(url.pathname)) return "metadata";
    if (resourceOrigins.includes(url.origin)) return "resource";
    return "other";
  };

  const server: FakeServer = {
    app: new Hono(),
    fetch: undefined as unknown as FetchLike,
    clock,
    issuer,
    tokenEndpoint,
    client,
    requests,
    issued,
    secrets,
    tokenRequests: () => requests.filter((r) => r.kind === "token"),
    resourceRequests: (origin) => requests.filter((r) => r.kind === "resource" && (origin === undefined || r.origin === origin)),
    handles(url) {
      const u = new URL(url);
      return u.origin === asOrigin || u.origin === tokenUrl.origin || resourceOrigins.includes(u.origin) || u.origin in (script.origins ?? {});
    },
    issue(options = {}) {
      const value = options.value ?? newTokenValue();
      const scripted = script.expiresIn === undefined ? TOKEN_LIFETIME_S : script.expiresIn;
      const expiresIn = options.expiresIn === undefined ? scripted : options.expiresIn;
      const token: IssuedToken = {
        value,
        tokenType: options.tokenType ?? script.tokenType ?? "Bearer",
        issuedAt: clock.now(),
        expiresAt: options.expiresAt ?? (typeof expiresIn === "number" ? clock.now() + expiresIn * 1000 : undefined),
        scope: options.scope,
        resource: options.resource ?? [],
        jkt: options.jkt,
      };
      issued.push(token);
      secrets.add(value);
      return token;
    },
    find: (value) => issued.find((t) => t.value === value),
    defaultToken: (req) => defaultToken(req),
    defaultResource: (req) => defaultResource(req),
  };

  async function authenticate(req: RecordedRequest, form: FormBody): Promise<Reply | undefined> {
    const presented = AUTH_METHOD_OF({ ...req, form });
    if (presented.length > 1 && script.strict) return oauthError(400, "invalid_request", `more than one client authentication: ${presented.join(" + ")}`);
    // Lenient: the strongest method presented is the one checked. An assertion is private_key_jwt
    // or client_secret_jwt, as the client is registered.
    const assertion = client.methods.includes("client_secret_jwt") && !client.methods.includes("private_key_jwt") ? "client_secret_jwt" : "private_key_jwt";
    const method = presented.includes("client_assertion") ? assertion : ["client_secret_basic", "client_secret_post"].find((m) => presented.includes(m)) ?? "none";
    if (!client.methods.includes(method as never)) {
      return oauthError(401, "invalid_client", `client authentication ${method} not allowed`, method === "client_secret_basic" ? { "www-authenticate": 'Basic realm="as"' } : {});
    }
    const bodyId = form.get("client_id");
    if (method === "client_secret_basic") {
      const b = req.basic;
      if (!b?.ok || b.clientId !== client.id || b.clientSecret !== client.secret) return oauthError(401, "invalid_client", "bad Basic credentials", { "www-authenticate": 'Basic realm="as"' });
      if (bodyId !== undefined && bodyId !== client.id) return oauthError(400, "invalid_request", "client_id in body differs from Basic");
    } else if (method === "client_secret_post") {
      if (bodyId !== client.id || form.get("client_secret") !== client.secret) return oauthError(401, "invalid_client", "bad client_secret_post credentials");
    } else if (method === "private_key_jwt" || method === "client_secret_jwt") {
      if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return oauthError(401, "invalid_client", "bad client_assertion_type");
      const jwt = form.get("client_assertion") ?? "";
      secrets.add(jwt);
      const key = method === "client_secret_jwt" ? new TextEncoder().encode(client.secret ?? "") : client.publicKey!;
      const alg = client.alg ?? (method === "client_secret_jwt" ? "HS256" : "ES256");
      const v = await verifyClientAssertion(jwt, { key, clientId: client.id, issuer, tokenEndpoint: tokenUrl.href, alg, nows: [clock.now(), realNow()] });
      req.advisories.push(...(v.advisories ?? []));
      const jti = typeof v.claims.jti === "string" ? v.claims.jti : "";
      if (seenJti.has(jti)) v.problems.push("jti replayed");
      seenJti.add(jti);
      if (bodyId !== undefined && bodyId !== v.claims.sub) v.problems.push("client_id param differs from sub");
      req.problems.push(...v.problems);
      if (v.problems.length) return oauthError(401, "invalid_client", "client assertion rejected");
    }
    return undefined;
  }

  async function defaultToken(req: RecordedRequest): Promise<Reply> {
    if (req.method !== "POST") return { status: 405, body: "" };
    let form = req.form;
    if (req.mediaType !== "application/x-www-form-urlencoded") {
      if (script.strict) return oauthError(400, "invalid_request", "body must be a form");
      if (req.mediaType === "application/json") form = jsonAsForm(req.text);
    }
    const dup = form.duplicates.filter((n) => n !== "resource");
    if (dup.length && script.strict) return oauthError(400, "invalid_request", `duplicated parameter ${dup.join(",")}`);
    if (form.get("grant_type") !== "client_credentials") return oauthError(400, "unsupported_grant_type");
    const denied = await authenticate(req, form);
    if (denied) return denied;
    let jkt: string | undefined;
    const proof = req.header("dpop");
    if (proof !== null) {
      const p = await verifyDpopProof(proof, { method: "POST", url: req.url, ...(script.dpopNonce ? { nonce: script.dpopNonce } : {}), nows: [clock.now(), realNow()] });
      req.problems.push(...p.problems);
      if (script.dpopNonce && p.claims.nonce !== script.dpopNonce) return oauthError(400, "use_dpop_nonce", "nonce required", { "dpop-nonce": script.dpopNonce });
      if (p.problems.length) return oauthError(400, "invalid_dpop_proof", "bad proof");
      jkt = p.jkt;
    }
    const scope = form.get("scope");
    const token = server.issue({ scope, resource: form.all("resource"), jkt, ...(jkt ? { tokenType: script.tokenType ?? "DPoP" } : {}) });
    const json: Record<string, unknown> = { access_token: token.value, token_type: token.tokenType };
    if (token.expiresAt !== undefined) json.expires_in = (token.expiresAt - token.issuedAt) / 1000;
    if (scope !== undefined) json.scope = scope;
    return { json, headers: { ...NO_STORE } };
  }

  async function defaultResource(req: RecordedRequest): Promise<Reply> {
    const auth = req.header("authorization");
    const challenge = (params: string) => ({ "www-authenticate": `Bearer realm="rs"${params ? ", " + params : ""}` });
    if (auth === null) return { status: 401, headers: challenge(""), body: "" };
    const dpopScheme = /^dpop /i.test(auth);
    // Lenient on the scheme's case (RS-01 checks the exact form itself).
    const m = dpopScheme ? /^dpop ([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth) : /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth);
    if (!m) return { status: 400, headers: challenge('error="invalid_request"'), body: "" };
    const token = server.find(m[1]!);
    if (!token) return { status: 401, headers: challenge('error="invalid_token", error_description="unknown"'), body: "" };
    if (token.expiresAt !== undefined && clock.now() >= token.expiresAt) {
      return { status: 401, headers: challenge('error="invalid_token", error_description="expired"'), body: "" };
    }
    if (token.jkt !== undefined || dpopScheme) {
      if (!dpopScheme || token.jkt === undefined) return { status: 401, headers: challenge('error="invalid_token", error_description="scheme"'), body: "" };
      const p = await verifyDpopProof(req.header("dpop"), { method: req.method, url: req.url, accessToken: token.value, nows: [clock.now(), realNow()] });
      if (p.jkt !== token.jkt) p.problems.push("proof key differs from the token's key");
      req.problems.push(...p.problems);
      if (p.problems.length) return { status: 401, headers: { "www-authenticate": 'DPoP error="invalid_dpop_proof"' }, body: "" };
    }
    if (token.resource.length && !token.resource.some((r) => new URL(r).origin === req.origin)) {
      return { status: 401, headers: challenge('error="invalid_token", error_description="audience"'), body: "" };
    }
    return { json: { ok: true, path: req.path } };
  }

  function metadata(): Reply {
    if (script.metadata === false) return { status: 404, body: "" };
    return {
      json: {
        issuer,
        // RFC 8414 §2: REQUIRED unless no grant type uses it; some clients insist on it.
        authorization_endpoint: `${issuer.replace(/\/$/, "")}/authorize`,
        token_endpoint: tokenEndpoint,
        jwks_uri: `${issuer.replace(/\/$/, "")}/jwks`,
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        grant_types_supported: ["client_credentials"],
        ...script.metadata,
      },
    };
  }

  // An aborted handler (the client gave up) must not print: answer quietly.
  server.app.onError(() => new Response(null, { status: 599 }));
  server.app.all("*", async (c) => {
    const raw = c.req.raw;
    const url = new URL(raw.url);
    const body = new Uint8Array(await raw.arrayBuffer());
    const headers = [...raw.headers] as [string, string][];
    const req: RecordedRequest = {
      seq: requests.length,
      kind: kindOf(url),
      method: raw.method,
      url: raw.url,
      origin: url.origin,
      path: url.pathname,
      query: url.search.slice(1),
      headers,
      header: (name) => raw.headers.get(name),
      body,
      text: new TextDecoder().decode(body),
      mediaType: mediaType(raw.headers.get("content-type")),
      form: parseForm(body),
      basic: parseBasic(raw.headers.get("authorization")),
      time: clock.now(),
      realTime: realNow(),
      problems: [],
      advisories: [],
    };
    requests.push(req);
    let reply: Reply | undefined;
    if (req.kind === "token") reply = (await script.token?.(req, server)) ?? (await defaultToken(req));
    else if (req.kind === "metadata") reply = metadata();
    else if (req.kind === "resource") reply = (await script.resource?.(req, server)) ?? (await defaultResource(req));
    else reply = (await script.origins?.[req.origin]?.(req, server)) ?? { status: 404, body: "" };
    // Over real sockets a network fault is a destroyed socket (duck-typed: no node: import).
    const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
    if (reply.fault && socket) socket.destroy();
    // Every answer is dated by the server's own clock (RFC 9110 §6.6.1), skew included.
    return render(reply, signals.get(raw) ?? raw.signal, { date: new Date(clock.now()).toUTCString() });
  });

  server.fetch = inProcessFetch((request, signal) => {
    signals.set(request, signal);
    return server.app.fetch(request);
  }, server.handles);
  return server;
}

/** A JSON object body seen as form parameters (the lenient AS accepts it). */
function jsonAsForm(text: string): FormBody {
  let pairs: [string, string][] = [];
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    pairs = Object.entries(value).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)] as [string, string]) : [[k, String(v)] as [string, string]]));
  } catch { /* not JSON: no parameters */ }
  return parseForm(new TextEncoder().encode(new URLSearchParams(pairs).toString()));
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch over an in-process handler that behaves like a network fetch: unknown hosts fail like
 * DNS errors, scripted faults reject, the signal aborts, and redirects follow the Fetch standard
 * (Authorization dropped cross-origin; 307/308 replay method and body; 303 and POST 301/302 → GET).
 */
export function inProcessFetch(handler: (request: Request, signal: AbortSignal) => Response | Promise<Response>, handles: (url: string) => boolean): FetchLike {
  return async (input, init) => {
    let request = new Request(input, init);
    const mode = request.redirect;
    // The caller's own signal: a Request's derived signal may not propagate aborts.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? request.signal;
    let body: ArrayBuffer | null = request.body ? await request.arrayBuffer() : null;
    let method = request.method;
    let url = request.url;
    const headers = new Headers(request.headers);
    for (let hop = 0; ; hop++) {
      if (signal.aborted) throw signal.reason;
      if (!handles(url)) throw new TypeError("fetch failed", { cause: new Error(`getaddrinfo ENOTFOUND ${new URL(url).hostname}`) });
      request = new Request(url, { method, headers, body, signal, redirect: "manual" });
      const response = await raceAbort(Promise.resolve(handler(request, signal)), signal);
      if (response.headers.get(FAULT_HEADER)) throw new TypeError("fetch failed", { cause: new Error("ECONNRESET") });
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || location === null || mode === "manual") return response;
      if (mode === "error" || hop >= 20) throw new TypeError("fetch failed", { cause: new Error("redirect") });
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) headers.delete("authorization");
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = null;
        for (const h of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(h);
      }
      await response.body?.cancel();
      url = next.href;
    }
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

/** One fetch over several fake servers, routed by origin. */
export function route(...servers: FakeServer[]): FetchLike {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = servers.find((s) => s.handles(url)) ?? servers[0]!;
    return target.fetch(input, init);
  };
}
