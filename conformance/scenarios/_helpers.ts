// Small helpers shared by scenarios.
import type { ScenarioContext } from "../harness.ts";
import type { FakeServer, RecordedRequest } from "../fake/server.ts";
import type { Reply } from "../fake/reply.ts";
import { NO_STORE } from "../fake/reply.ts";
import type { AuthConfig, SubjectEnv, SubjectInstance } from "../types.ts";

/** AUTH-02/04's client id and secret: every character RFC 6749 Appendix B must encode. */
export const SPECIAL_ID = "urn:acme:svc+1 %x";
export const SPECIAL_SECRET = "p@ss:w+rd%25 /=&é€";

/** A token response for a freshly issued token, with extra or overridden members. */
export function tokenReply(server: FakeServer, members: Record<string, unknown> = {}, reply: Partial<Reply> = {}): Reply {
  const token = server.issue();
  return { json: { access_token: token.value, token_type: "Bearer", expires_in: 300, ...members }, headers: { ...NO_STORE }, ...reply };
}

/** A fresh ES256 key pair for private_key_jwt or DPoP. */
export async function ecKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair;
}

/** A private_key_jwt client registration and the matching auth config. */
export async function jwtClient(): Promise<{ keys: CryptoKeyPair; auth: AuthConfig }> {
  const keys = await ecKeyPair();
  return { keys, auth: { method: "private_key_jwt", privateKey: keys.privateKey, publicKey: keys.publicKey, kid: "k1", alg: "ES256" } };
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
