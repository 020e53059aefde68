// Small helpers shared by scenarios.
import type { Attempt, ScenarioContext } from "../scenario.ts";
import { describe } from "../harness.ts";
import { ecKeyPair, rsaAssertionKey } from "../fake/keys.ts";
import type { ClientRegistration, FakeServer, RecordedRequest, Script } from "../fake/server.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import type { Reply } from "../fake/reply.ts";
import { NO_STORE } from "../fake/reply.ts";
import type { AuthConfig, SubjectEnv, SubjectInstance } from "../types.ts";

/**
 * AUTH-02/04's client id and secret: inside `client-id = *VSCHAR` and `client-secret = *VSCHAR`
 * (RFC 6749 Appendix A.1, A.2; VSCHAR = %x20-7E), with every character Appendix B must encode.
 */
export const SPECIAL_ID = "urn:acme:svc+1 %x";
export const SPECIAL_SECRET = "p@ss:w+rd%25 /=&";
/** A secret outside VSCHAR (non-ASCII): handling it is ROBUST, not an RFC requirement. */
export const NON_VSCHAR_SECRET = "p@ss:w+rd%25 /=&é€";

/** A token response for a freshly issued token, with extra or overridden members. */
export function tokenReply(server: FakeServer, members: Record<string, unknown> = {}, reply: Partial<Reply> = {}): Reply {
  const token = server.issue();
  return { json: { access_token: token.value, token_type: "Bearer", expires_in: TOKEN_LIFETIME_S, ...members }, headers: { ...NO_STORE }, ...reply };
}

/**
 * The positive control of a failure-case scenario: with the same configuration (`env`) and a
 * well-behaved authorization server (`script`; `discovery` when the scenario discovers), the
 * subject gets a token. Otherwise the scenario reports `unusable`.
 */
export async function control(ctx: ScenarioContext, env: Partial<SubjectEnv> = {}, options: { script?: Script; discovery?: boolean } = {}): Promise<void> {
  await ctx.control("a well-behaved token endpoint, same configuration", async () => {
    const server = ctx.server(options.script ?? {});
    const e = ctx.env(server, options.discovery ? { issuer: server.issuer, ...env } : env);
    if (options.discovery) delete e.tokenEndpoint;
    return (await ctx.create(e)).getToken();
  });
}

export { ecKeyPair };

/**
 * A private_key_jwt client: the auth config and the registration for the fake AS. An ES256 key,
 * or for a subject that declares `rsa_keys` the fixed RS256 key with its PEM and certificate.
 */
export async function jwtClient(ctx: Pick<ScenarioContext, "has">): Promise<{ keys: CryptoKeyPair; auth: AuthConfig; client: ClientRegistration }> {
  const key = ctx.has("rsa_keys") ? await rsaAssertionKey() : await ecKeyPair().then((k) => ({ privateKey: k.privateKey, publicKey: k.publicKey, kid: "k1", alg: "ES256" }));
  const keys = { privateKey: key.privateKey, publicKey: key.publicKey };
  return { keys, auth: { method: "private_key_jwt", ...key }, client: { id: "s6BhdRkqt3", methods: ["private_key_jwt"], publicKey: key.publicKey, alg: key.alg } };
}

/** Builds a server, an env and an instance in one go. */
export async function setup(
  ctx: ScenarioContext,
  script: Parameters<ScenarioContext["server"]>[0] = {},
  env: Partial<SubjectEnv> = {},
): Promise<{ server: FakeServer; instance: SubjectInstance }> {
  const server = ctx.server(script);
  const instance = await ctx.create(ctx.env(server, env));
  return { server, instance };
}

/** The client authentication methods a token request presents. */
export function presented(req: RecordedRequest): string[] {
  const out: string[] = [];
  if (req.header("authorization") !== null) out.push("basic");
  if (req.form.get("client_secret") !== undefined) out.push("post");
  if (req.form.get("client_assertion") !== undefined) out.push("assertion");
  return out;
}

/** Whether `text` contains `token` anywhere. */
export function carries(req: RecordedRequest, token: string): boolean {
  return req.url.includes(token) || req.text.includes(token) || req.headers.some(([, v]) => v.includes(token)) ||
    req.url.includes(encodeURIComponent(token)) || req.text.includes(encodeURIComponent(token));
}

/** Reads a response body safely. */
export async function drain(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch {
    return "";
  }
}

/** Sets an issued token's expiry to now, so the RS rejects it from now on. */
export function revoke(server: FakeServer, value: string): void {
  const t = server.find(value);
  if (t) t.expiresAt = server.clock.now();
}

/** API calls made through a subject's `fetch()`, counted for a fault scenario's metrics. */
export interface CallCounter {
  calls: number;
  failed: number;
  /** How the failed calls failed ("timeout", "network", "status 401", …), with counts. */
  failures: Map<string, number>;
  /** One API call; a rejection or a status other than 200 counts as failed. */
  call(instance: SubjectInstance, path?: string): Promise<Attempt<Response>>;
  /** "timeout ×3, status 503 ×1", or "none". */
  describeFailures(): string;
}

export function callCounter(ctx: ScenarioContext): CallCounter {
  const counter: CallCounter = {
    calls: 0,
    failed: 0,
    failures: new Map(),
    async call(instance, path = "/data") {
      counter.calls++;
      const got = await ctx.attempt(() => instance.fetch(path));
      if (got.ok) await drain(got.value);
      if (!got.ok || got.value.status !== 200) {
        counter.failed++;
        const how = got.ok ? `status ${got.value.status}` : describe(got);
        counter.failures.set(how, (counter.failures.get(how) ?? 0) + 1);
      }
      return got;
    },
    describeFailures: () => [...counter.failures].map(([how, n]) => `${how} ×${n}`).join(", ") || "none",
  };
  return counter;
}

/** Settles with `promise`, or with "stuck" after `ms` of real time. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | "stuck"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<"stuck">((resolve) => {
      timer = setTimeout(() => resolve("stuck"), ms);
    }),
  ]);
}

/**
 * FAULT-02/03: the token endpoint stalls (`stall`) while 5 API calls run concurrently with a
 * 100 ms token deadline, then recovers for one more call. Every stalled call must end within 5 s
 * as a timeout, and the call after recovery must be served (nothing stuck is left behind).
 */
export async function stalledEndpoint(ctx: ScenarioContext, label: string, stall: Reply): Promise<void> {
  let stalled = true;
  const { server, instance } = await setup(ctx, { token: () => (stalled ? stall : undefined) }, { timeoutMs: 100 });
  const api = callCounter(ctx);
  const started = Date.now();
  const results = await Promise.all(Array.from({ length: 5 }, () => within(api.call(instance), 5000)));
  const ms = Date.now() - started;
  const stuck = results.filter((r) => r === "stuck").length;
  const attempts = server.tokenRequests().length;
  stalled = false;
  const after = stuck ? undefined : await within(api.call(instance), 5000);
  const tokenRequests = server.tokenRequests().length;
  ctx.metrics({ apiCalls: api.calls, failedCalls: api.failed + stuck + (after === "stuck" ? 1 : 0), tokenRequests });
  if (after === undefined) {
    ctx.check(false, `${label}: ${stuck} of 5 API calls still waiting after 5 s (timeoutMs 100)`);
    return;
  }
  const timeouts = api.failures.get("timeout") ?? 0;
  ctx.check(timeouts === 5, `${label}: the 5 API calls ended as ${api.describeFailures()} within ${ms} ms`);
  ctx.check(attempts <= 5 * 4, `${label}: ${attempts} token requests for 5 calls`);
  ctx.check(after !== "stuck" && after.ok && after.value.status === 200, `endpoint back: the next API call ${after === "stuck" ? "hung" : after.ok ? `got ${after.value.status}` : `failed (${describe(after)})`}`);
  ctx.evidence(`${label}: 5 calls → timeout within ${ms} ms (${attempts} attempts); endpoint back → next call served`);
}
