// oidc-provider over TLS with a throwaway CA: the keeper discovers it from its issuer and trusts
// the CA only through its custom fetch. The protected resources validate tokens with the
// provider's own ClientCredentials lookup.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { createRequire } from "node:module";
import Provider from "oidc-provider";
import { fetchTrusting, makeCertificates } from "../../../conformance/node/tls.ts";
import type { Fixture } from "../fixture.ts";
import type { InteropServer } from "../server.ts";
import { bearerToken, listenOnLoopback, sendJson } from "./node-http.ts";

const { version } = createRequire(import.meta.url)("oidc-provider/package.json") as { version: string };

function clients(fixture: Fixture): Record<string, unknown>[] {
  const base = { grant_types: ["client_credentials"], redirect_uris: [], response_types: [] };
  const { post, basic, basicSpecial, secretJwt, keyJwt } = fixture;
  return [
    { ...base, client_id: post.clientId, client_secret: post.secret, token_endpoint_auth_method: "client_secret_post", scope: fixture.scope },
    { ...base, client_id: basic.clientId, client_secret: basic.secret, token_endpoint_auth_method: "client_secret_basic" },
    { ...base, client_id: basicSpecial.clientId, client_secret: basicSpecial.secret, token_endpoint_auth_method: "client_secret_basic" },
    { ...base, client_id: secretJwt.clientId, client_secret: secretJwt.secret, token_endpoint_auth_method: "client_secret_jwt" },
    { ...base, client_id: keyJwt.clientId, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [keyJwt.publicJwk] } },
  ];
}

async function signingKeys(): Promise<{ keys: JsonWebKey[] }> {
  const { privateKey } = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  return { keys: [await crypto.subtle.exportKey("jwk", privateKey)] };
}

/** GET /resource and GET /scoped, answered after the provider looked the token up itself. */
async function resource(provider: Provider, fixture: Fixture, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const value = bearerToken(req);
  const token = value === undefined ? undefined : await provider.ClientCredentials.find(value);
  if (token === undefined || token.isExpired) {
    sendJson(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
  } else if (req.url === "/scoped" && !(token.scope ?? "").split(" ").includes(fixture.scope)) {
    sendJson(res, 403, { error: "insufficient_scope" }, { "www-authenticate": `Bearer error="insufficient_scope", scope="${fixture.scope}"` });
  } else {
    sendJson(res, 200, { client_id: token.clientId, scope: token.scope });
  }
}

/**
 * Starts oidc-provider on https://127.0.0.1:<free port> with the fixture's clients, the
 * client-credentials grant, the fixture's scope and token lifetime.
 *
 * @param fixture The clients to register.
 * @returns The running server; its `fetch` trusts the test CA and nothing else.
 */
export async function startOidcProvider(fixture: Fixture): Promise<InteropServer> {
  const certs = makeCertificates();
  if (certs === undefined) throw new Error("oidc-provider: cannot make the test CA (is the openssl command installed?)");
  // The issuer names the port, so the provider is made once the server listens.
  let provider: Provider | undefined;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer({ key: certs.trusted.key, cert: certs.trusted.cert }, (req, res) => {
    if (provider === undefined || handle === undefined) return sendJson(res, 503, { error: "temporarily_unavailable" });
    if (req.method === "GET" && (req.url === "/resource" || req.url === "/scoped")) {
      resource(provider, fixture, req, res).catch(() => sendJson(res, 500, { error: "server_error" }));
      return;
    }
    handle(req, res);
  });
  const listening = await listenOnLoopback(server);
  const issuer = `https://127.0.0.1:${listening.port}`;
  try {
    provider = new Provider(issuer, {
      clients: clients(fixture),
      clientAuthMethods: ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"],
      features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
      scopes: [fixture.scope],
      ttl: { ClientCredentials: fixture.tokenLifetimeSeconds },
      cookies: { keys: [crypto.randomUUID()] },
      jwks: await signingKeys(),
    });
    handle = provider.callback();
  } catch (error) {
    await listening.close();
    throw error;
  }
  return {
    name: `oidc-provider ${version}`,
    where: { issuer },
    tokenEndpoint: `${issuer}/token`,
    origin: issuer,
    fetch: fetchTrusting(certs.ca),
    insecure: false,
    stop: listening.close,
  };
}
