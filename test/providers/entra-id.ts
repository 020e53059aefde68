// Microsoft Entra ID as a profile of the one fake server (conformance/fake/server.ts): a tenant's
// v2.0 token endpoint for the client credentials grant, and Microsoft Graph as its resource, with
// the wire contract Microsoft documents, checked the way Entra checks it:
//
// - the request: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//   (POST /{tenant}/oauth2/v2.0/token; client_id; scope = "{resource}/.default", one resource;
//   a client secret in the body or Basic, a certificate assertion, or a federated assertion);
// - certificate assertions: https://learn.microsoft.com/entra/identity-platform/certificate-credentials
//   (header alg PS256 or RS256, typ JWT, x5t#S256 or x5t naming a registered certificate; claims
//   aud = the token endpoint, iss = sub = the client id, a unique jti, exp, nbf);
// - federated assertions: https://learn.microsoft.com/entra/workload-id/workload-identity-federation
//   (issuer, subject and audience matching a federated identity credential, signed by the issuer);
// - errors: https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS
//   codes, `error_codes`, trace and correlation ids, `error_uri`).
//
// Every rule the client breaks is also recorded in the request's `problems`, so a test can say
// which one. Times are checked against the fake's clock and real time (assertions that oauth4webapi
// signs read the real clock), with Entra's five minutes of skew.
import { compactVerify, decodeJwt, decodeProtectedHeader, importX509, type JWTPayload } from "jose";
import type { FakeClock } from "../../conformance/fake/clock.ts";
import { realNow } from "../../conformance/fake/date.ts";
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, type RecordedRequest } from "../../conformance/fake/server.ts";
import { presentedToken, providerJson } from "./provider.ts";

export const ENTRA_AUTHORITY = "https://login.microsoftonline.com";
export const GRAPH = "https://graph.microsoft.com";
/** The scope of a client credentials request for Microsoft Graph. */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** The audience Entra's federated identity credentials take by default. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

const SKEW_S = 300;

/** A federated identity credential: whose tokens, for which audiences, verified with which key. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** @default [TOKEN_EXCHANGE_AUDIENCE] */
  readonly audiences?: readonly string[];
  /** The issuer's signing key, as Entra reads it from the issuer's JWKS. */
  readonly key: CryptoKey;
}

/** An app registration in the tenant, with its credentials. */
export interface EntraApp {
  readonly tenant: string;
  readonly clientId: string;
  readonly secrets?: readonly string[];
  /** Certificates (PEM) registered as the app's key credentials. */
  readonly certificates?: readonly string[];
  readonly federated?: readonly FederatedCredential[];
}

/** The tenant's v2.0 token endpoint. */
export const entraTokenEndpoint = (tenant: string): string => `${ENTRA_AUTHORITY}/${tenant}/oauth2/v2.0/token`;

/** What the tests may look at: the app, and the decoded assertions the tenant accepted. */
export interface EntraFake extends FakeServer {
  readonly registration: EntraApp;
  readonly accepted: { header: Record<string, unknown>; claims: JWTPayload; kind: "certificate" | "federated" }[];
}

const hexOf = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
const b64u = (bytes: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const der = (pem: string): Uint8Array => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));

/**
 * A Microsoft Entra tenant with `app` registered, and Microsoft Graph.
 *
 * @param app The app registration and its credentials.
 * @param options The clock (default: real time), and `expires_in` of the tokens (Entra: 3599).
 * @returns The fake, as the in-process fetch and its records.
 */
export function entraId(app: EntraApp, options: { clock?: FakeClock; expiresIn?: number } = {}): EntraFake {
  const tokenEndpoint = entraTokenEndpoint(app.tenant);
  const seenJti = new Set<string>();
  const accepted: EntraFake["accepted"] = [];
  const nows = (): number[] => [fake.clock.now() / 1000, realNow() / 1000];
  const timestamp = (): string => new Date(fake.clock.now()).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");

  /** An Entra error answer: `AADSTS<code>: <text>` with the trace, correlation and time lines. */
  const aadsts = (req: RecordedRequest, status: number, error: string, code: number, text: string): Reply => {
    req.problems.push(`AADSTS${code}: ${text}`);
    const traceId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    const time = timestamp();
    return providerJson({
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${time}`,
      error_codes: [code],
      timestamp: time,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ENTRA_AUTHORITY}/error?code=${code}`,
    }, status);
  };

  /** Entra's time window: `nbf` (when given) and `exp` within five minutes of skew, on either clock. */
  const inTime = (claims: JWTPayload): boolean =>
    typeof claims.exp === "number" && nows().some((now) => claims.exp! > now - SKEW_S && (claims.nbf === undefined || claims.nbf <= now + SKEW_S));
  const timeRange = (req: RecordedRequest, claims: JWTPayload): Reply =>
    aadsts(req, 401, "invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${new Date(fake.clock.now()).toISOString()}, assertion valid from ${claims.nbf === undefined ? "-" : new Date(claims.nbf * 1000).toISOString()}, expiry time of assertion ${claims.exp === undefined ? "-" : new Date(claims.exp * 1000).toISOString()}.`);

  async function certificateAssertion(req: RecordedRequest, jwt: string, header: Record<string, unknown>, claims: JWTPayload, clientId: string): Promise<Reply | undefined> {
    const named = typeof header["x5t#S256"] === "string" ? ["SHA-256", header["x5t#S256"]] : typeof header.x5t === "string" ? ["SHA-1", header.x5t] : undefined;
    let certificate: string | undefined;
    for (const pem of named ? app.certificates ?? [] : []) {
      if (b64u(await crypto.subtle.digest(named![0]!, der(pem) as BufferSource)) === named![1]) certificate = pem;
    }
    if (certificate === undefined) {
      const thumbprint = named ? hexOf(Uint8Array.from(atob(String(named[1]).replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer) : "";
      return aadsts(req, 401, "invalid_client", 700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`);
    }
    if (header.alg !== "PS256" && header.alg !== "RS256") {
      return aadsts(req, 400, "invalid_request", 5002738, `Invalid JWT token. '${String(header.alg)}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256,PS256'`);
    }
    try {
      await compactVerify(jwt, await importX509(certificate, header.alg));
    } catch {
      return aadsts(req, 401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }
    if (claims.sub !== claims.iss) return aadsts(req, 401, "invalid_client", 50048, "Subject mismatches Issuer claim in the client assertion.");
    if (claims.aud !== tokenEndpoint) return aadsts(req, 401, "invalid_client", 700023, `Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
    if (!inTime(claims)) return timeRange(req, claims);
    if (typeof claims.jti !== "string" || claims.jti === "") return aadsts(req, 401, "invalid_client", 50027, "JWT token is invalid or malformed: no jti.");
    if (seenJti.has(claims.jti)) return aadsts(req, 401, "invalid_client", 50027, "JWT token is invalid or malformed: the jti was used before.");
    seenJti.add(claims.jti);
    if (typeof claims.exp === "number" && typeof claims.nbf === "number" && claims.exp - claims.nbf > 600) req.advisories.push("exp more than 10 minutes after nbf (Entra's docs: 5-10 minutes at most)");
    accepted.push({ header, claims, kind: "certificate" });
    return undefined;
  }

  async function federatedAssertion(req: RecordedRequest, jwt: string, header: Record<string, unknown>, claims: JWTPayload): Promise<Reply | undefined> {
    const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    const credential = (app.federated ?? []).find((f) => f.issuer === claims.iss && f.subject === claims.sub && audiences.some((a) => (f.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).includes(a)));
    if (credential === undefined) {
      return aadsts(req, 400, "invalid_request", 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss)}'. Assertion Subject: '${String(claims.sub)}'. Assertion Audience: '${audiences.join(",")}'.`);
    }
    try {
      await compactVerify(jwt, credential.key);
    } catch {
      return aadsts(req, 401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }
    if (!inTime(claims)) return timeRange(req, claims);
    accepted.push({ header, claims, kind: "federated" });
    return undefined;
  }

  async function token(req: RecordedRequest): Promise<Reply> {
    if (req.method !== "POST") return aadsts(req, 400, "invalid_request", 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`);
    const form = req.form;
    const grantType = form.get("grant_type");
    if (grantType === undefined) return aadsts(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (grantType !== "client_credentials") return aadsts(req, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
    const basic = req.basic;
    const clientId = form.get("client_id") ?? (basic?.ok ? basic.clientId : undefined);
    if (clientId === undefined) return aadsts(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    if (clientId !== app.clientId) return aadsts(req, 400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${app.tenant}'.`);
    const scope = form.get("scope");
    if (scope === undefined) return aadsts(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    const scopes = scope.split(" ").filter(Boolean);
    if (scopes.some((s) => !s.endsWith("/.default"))) {
      return aadsts(req, 400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    if (scopes.length !== 1) return aadsts(req, 400, "invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
    if (scopes[0] !== GRAPH_SCOPE) return aadsts(req, 400, "invalid_resource", 500011, `The resource principal named ${scopes[0]!.slice(0, -"/.default".length)} was not found in the tenant named ${app.tenant}.`);

    const secret = form.get("client_secret") ?? (basic?.ok ? basic.clientSecret : undefined);
    const assertion = form.get("client_assertion");
    if ([form.get("client_secret"), basic, assertion].filter((c) => c !== undefined).length > 1) {
      return aadsts(req, 400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid: more than one client credential.");
    }
    if (secret !== undefined) {
      if (!(app.secrets ?? []).includes(secret)) {
        return aadsts(req, 401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
    } else if (assertion !== undefined) {
      if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION) {
        return aadsts(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
      }
      let header: Record<string, unknown>;
      let claims: JWTPayload;
      try {
        header = decodeProtectedHeader(assertion) as Record<string, unknown>;
        claims = decodeJwt(assertion);
      } catch {
        return aadsts(req, 401, "invalid_client", 50027, "JWT token is invalid or malformed.");
      }
      const denied = claims.iss === app.clientId
        ? (form.get("client_id") !== undefined && form.get("client_id") !== claims.iss
          ? aadsts(req, 401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.")
          : await certificateAssertion(req, assertion, header, claims, clientId))
        : await federatedAssertion(req, assertion, header, claims);
      if (denied) return denied;
    } else {
      return aadsts(req, 401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    const issued = fake.issue({ scope, expiresIn: options.expiresIn ?? 3599 });
    return providerJson({ token_type: "Bearer", expires_in: options.expiresIn ?? 3599, ext_expires_in: options.expiresIn ?? 3599, access_token: issued.value });
  }

  /** Microsoft Graph: any `/v1.0/…` answers to a token the tenant issued for Graph. */
  function graph(req: RecordedRequest): Reply {
    const { value, token } = presentedToken(fake, req);
    if (token === undefined) {
      return {
        status: 401,
        headers: { "www-authenticate": `Bearer realm="", authorization_uri="${ENTRA_AUTHORITY}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` },
        json: { error: { code: "InvalidAuthenticationToken", message: value === undefined ? "Access token is empty." : "Access token validation failure. Invalid audience." } },
      };
    }
    return { json: { "@odata.context": `${GRAPH}/v1.0/$metadata#users`, value: [{ id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", displayName: "Adele Vance" }] } };
  }

  const fake = createFakeServer({
    ...(options.clock ? { clock: options.clock } : {}),
    issuer: `${ENTRA_AUTHORITY}/${app.tenant}/v2.0`,
    tokenEndpoint,
    metadataAt: ["oidc"],
    metadata: { token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"] },
    resourceOrigins: [GRAPH],
    token: token,
    resource: graph,
    // Another tenant in the path: Entra does not know it.
    origins: { [ENTRA_AUTHORITY]: (req) => providerJson({ error: "invalid_request", error_description: `AADSTS90002: Tenant '${req.path.split("/")[1]}' not found.`, error_codes: [90002] }, 400) },
  }) as EntraFake;
  for (const secret of app.secrets ?? []) fake.secrets.add(secret);
  Object.assign(fake, { registration: app, accepted });
  return fake;
}
