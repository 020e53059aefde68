// Google's OAuth 2.0 token endpoint for service accounts, as a profile of the one fake server
// (conformance/fake/server.ts), with Cloud Storage as its resource: the JWT bearer grant as
// "Using OAuth 2.0 for Server to Server Applications" documents it
// (https://developers.google.com/identity/protocols/oauth2/service-account):
//
// - POST https://oauth2.googleapis.com/token with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
//   and assertion, and nothing else: no client authentication;
// - the assertion: header alg RS256 (kid: the key's id, typ JWT); claims iss = the service account's
//   email, scope (space-delimited, required: Google reads the scope from the assertion), aud = the
//   token endpoint, iat, exp at most one hour after iat; sub only with domain-wide delegation;
// - errors as Google sends them: 400 invalid_grant "Invalid JWT Signature." (unknown key or bad
//   signature), "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable
//   timeframe. Check your iat and exp values in the JWT claim.", 400 invalid_scope "Invalid OAuth
//   scope or ID token audience provided." (no scope), 401 unauthorized_client for a sub the account
//   may not act for, 400 unsupported_grant_type for any other grant.
//
// Every rule the client breaks is also recorded in the request's `problems`. Times are checked
// against the fake's clock and real time (oauth4webapi signs with the real clock).
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { FakeClock } from "../../conformance/fake/clock.ts";
import { realNow } from "../../conformance/fake/date.ts";
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, type RecordedRequest } from "../../conformance/fake/server.ts";
import { presentedToken, providerJson } from "./provider.ts";

export const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
export const GOOGLE_STORAGE = "https://storage.googleapis.com";
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** A service account: its email, its keys' public halves by key id, and whom it may act for. */
export interface ServiceAccount {
  readonly clientEmail: string;
  readonly keys: Readonly<Record<string, CryptoKey>>;
  /** Users the account may act for (domain-wide delegation). @default none */
  readonly delegation?: readonly string[];
}

/** What the tests may look at: the assertions Google accepted, decoded. */
export interface GoogleFake extends FakeServer {
  readonly accepted: { header: Record<string, unknown>; claims: JWTPayload }[];
}

/**
 * Google's token endpoint with `accounts` registered, and Cloud Storage.
 *
 * @param accounts The service accounts.
 * @param options The clock (default: real time).
 * @returns The fake.
 */
export function google(accounts: readonly ServiceAccount[], options: { clock?: FakeClock } = {}): GoogleFake {
  const accepted: GoogleFake["accepted"] = [];
  const error = (req: RecordedRequest, status: number, code: string, description: string): Reply => {
    req.problems.push(`${code}: ${description}`);
    return providerJson({ error: code, error_description: description }, status);
  };
  const invalidSignature = (req: RecordedRequest) => error(req, 400, "invalid_grant", "Invalid JWT Signature.");

  async function token(req: RecordedRequest): Promise<Reply> {
    if (req.method !== "POST") return { status: 405, body: "" };
    const form = req.form;
    if (form.get("grant_type") !== JWT_BEARER_GRANT) return error(req, 400, "unsupported_grant_type", `Invalid grant_type: ${form.get("grant_type") ?? ""}`);
    const extra = form.pairs.map(([name]) => name).filter((name) => name !== "grant_type" && name !== "assertion");
    // Google documents two parameters; anything else (client_id, a scope parameter) is not its contract.
    if (extra.length > 0) req.problems.push(`parameters Google does not document: ${extra.join(", ")}`);
    if (req.header("authorization") !== null) req.problems.push("client authentication, which Google does not take with this grant");
    const assertion = form.get("assertion");
    if (assertion === undefined) return error(req, 400, "invalid_request", "Missing required parameter: assertion");
    let header: Record<string, unknown>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      claims = decodeJwt(assertion);
    } catch {
      return error(req, 400, "invalid_grant", "Invalid JWT: Bad Request");
    }
    const account = accounts.find((a) => a.clientEmail === claims.iss);
    if (account === undefined) return error(req, 400, "invalid_grant", "Invalid grant: account not found");
    const key = typeof header.kid === "string" ? account.keys[header.kid] : undefined;
    if (header.alg !== "RS256" || key === undefined) return invalidSignature(req);
    try {
      await compactVerify(assertion, key, { algorithms: ["RS256"] });
    } catch {
      return invalidSignature(req);
    }
    if (claims.aud !== GOOGLE_TOKEN_URI) return error(req, 400, "invalid_grant", `Invalid JWT: Failed audience check. The expected value is: ${GOOGLE_TOKEN_URI}`);
    const { iat, exp } = claims;
    const nows = [fake.clock.now() / 1000, realNow() / 1000];
    const reasonable = typeof iat === "number" && typeof exp === "number" && exp > iat && exp - iat <= 3600 && nows.some((now) => iat <= now + 300 && exp > now);
    if (!reasonable) return error(req, 400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
    if (typeof claims.scope !== "string" || claims.scope.trim() === "") return error(req, 400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    if (claims.sub !== undefined && !(account.delegation ?? []).includes(String(claims.sub))) {
      return error(req, 401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.");
    }
    accepted.push({ header, claims });
    const issued = fake.issue({ scope: claims.scope, expiresIn: 3599, value: `ya29.c.${crypto.randomUUID()}` });
    return providerJson({ access_token: issued.value, expires_in: 3599, token_type: "Bearer" });
  }

  /** Cloud Storage's JSON API: `/storage/v1/…` answers to a token Google issued with a storage scope. */
  function storage(req: RecordedRequest): Reply {
    const { value, token } = presentedToken(fake, req);
    const challenge = (params: string) => ({ "www-authenticate": `Bearer realm="https://accounts.google.com/"${params}` });
    if (token === undefined) {
      return { status: 401, headers: challenge(value === undefined ? "" : ', error="invalid_token"'), json: { error: { code: 401, message: "Invalid Credentials" } } };
    }
    if (!/\/auth\/(devstorage\.|cloud-platform)/.test(token.scope ?? "")) {
      return { status: 403, headers: challenge(', error="insufficient_scope", scope="https://www.googleapis.com/auth/devstorage.read_only"'), json: { error: { code: 403, message: "Insufficient Permission" } } };
    }
    return { json: { kind: "storage#objects", items: [{ kind: "storage#object", name: "report.csv", bucket: req.path.split("/")[4] }] } };
  }

  const fake = createFakeServer({
    ...(options.clock ? { clock: options.clock } : {}),
    issuer: "https://accounts.google.com",
    tokenEndpoint: GOOGLE_TOKEN_URI,
    metadataAt: ["oidc"],
    resourceOrigins: [GOOGLE_STORAGE],
    token,
    resource: storage,
  }) as GoogleFake;
  Object.assign(fake, { accepted });
  return fake;
}
