// What the identity provider fakes share. Each fake (entra-id.ts, google.ts, okta.ts, auth0.ts,
// keycloak.ts, cognito.ts) is a profile of the one fake server, conformance/fake/server.ts: its
// own URLs, client registration and token lifetime, a token handler that applies the provider's
// documented rules (okta.ts and the three after it: before the fake's own client authentication),
// and an API that answers only to a live token the provider issued.
import type { Reply } from "../../conformance/fake/reply.ts";
import { NO_STORE } from "../../conformance/fake/reply.ts";
import type { FakeServer, IssuedToken, RecordedRequest } from "../../conformance/fake/server.ts";

/** The API origin every provider fake serves (examples call it, as the README's do). */
export const API_ORIGIN = "https://api.example.com";

/** A JSON reply as a provider sends it: `application/json;charset=UTF-8`, never cached. */
export function providerJson(json: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, json, headers: { ...NO_STORE, ...headers } };
}

/** The parameters of a token request: its form, or a JSON object (Auth0 accepts both). */
export function tokenParameters(req: RecordedRequest): URLSearchParams {
  if (req.mediaType === "application/json") {
    try {
      const value = JSON.parse(req.text) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(value).map(([k, v]) => [k, String(v)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(req.text);
}

/** The space-separated scope tokens of a `scope` value (RFC 6749 §3.3). */
export function scopeList(scope: string | null | undefined): string[] {
  return (scope ?? "").split(" ").filter(Boolean);
}

/**
 * Runs the fake server's own token endpoint (grant type, client authentication as registered,
 * one token issued) and lets the provider shape what comes back: `granted` sets the token's
 * scope and audience, `answer` writes the success body, `refused` rewrites an error.
 */
export async function issueAsProvider(
  server: FakeServer,
  req: RecordedRequest,
  provider: {
    granted: { scope: string | undefined; audience?: string };
    answer: (token: IssuedToken, lifetimeS: number | undefined) => Record<string, unknown>;
    refused: (error: string, status: number, reply: Reply) => Reply;
  },
): Promise<Reply> {
  const reply = await server.defaultToken(req);
  const json = reply.json as Record<string, unknown> | undefined;
  if (typeof json?.error === "string") return provider.refused(json.error, reply.status ?? 400, reply);
  const token = typeof json?.access_token === "string" ? server.find(json.access_token) : undefined;
  if (token === undefined) return reply;
  token.scope = provider.granted.scope;
  token.resource = provider.granted.audience === undefined ? [] : [provider.granted.audience];
  const lifetimeS = token.expiresAt === undefined ? undefined : (token.expiresAt - token.issuedAt) / 1000;
  return providerJson(provider.answer(token, lifetimeS));
}

/**
 * The Bearer token a request to the provider's API presents (`value`), and the token it is when
 * this provider issued it and it has not expired (`token`).
 */
export function presentedToken(server: FakeServer, req: RecordedRequest): { value: string | undefined; token: IssuedToken | undefined } {
  const value = /^Bearer (\S+)$/.exec(req.header("authorization") ?? "")?.[1];
  const token = value === undefined ? undefined : server.find(value);
  const live = token !== undefined && (token.expiresAt === undefined || server.clock.now() < token.expiresAt);
  return { value, token: live ? token : undefined };
}

/**
 * The provider's API: 401 `invalid_token` (RFC 6750 §3.1) unless the request carries a Bearer
 * token this provider issued and that has not expired; then `check` may refuse it (403
 * `insufficient_scope`, a wrong audience); else 200 with what the token grants.
 */
export function apiReply(server: FakeServer, req: RecordedRequest, check?: (token: IssuedToken) => Reply | undefined): Reply {
  const { token } = presentedToken(server, req);
  if (token === undefined) return { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' }, body: "" };
  const refused = check?.(token);
  if (refused) return refused;
  return { json: { ok: true, path: req.path, scope: token.scope ?? null, audience: token.resource[0] ?? null } };
}

/** 403 `insufficient_scope` unless the token grants `scope` (RFC 6750 §3.1). */
export function requireScope(scope: string): (token: IssuedToken) => Reply | undefined {
  return (token) =>
    scopeList(token.scope).includes(scope)
      ? undefined
      : { status: 403, headers: { "www-authenticate": `Bearer error="insufficient_scope", scope="${scope}"` }, body: "" };
}
