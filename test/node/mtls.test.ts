// mTLS (RFC 8705) on Node: a keeper with customClientAuth("tls_client_auth", oauth.TlsClientAuth())
// and a fetch that presents a client certificate (an undici Agent) authenticates to a token
// endpoint by the certificate alone, gets a token bound to it, and keeper.fetch presents the same
// certificate to the API, which checks the binding. The servers: test/providers/mtls.ts.
import * as oauth from "oauth4webapi";
import { Agent } from "undici";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTokenKeeper, customClientAuth, isTokenKeeperError, type FetchLike } from "../../mod.ts";
import { memoryStore } from "../../src/stores/memory.ts";
import { makePki, type MtlsPki, pemThumbprint, startMtlsServers } from "../providers/mtls.ts";

const test = suite("mTLS (RFC 8705)");
const pki = makePki();
const agents: Agent[] = [];

/** A fetch whose TLS connections present `identity`'s certificate (none: no client certificate). */
function fetchPresenting(identity: { key: string; cert: string } | undefined, pkiCa: string): FetchLike {
  const agent = new Agent({ connect: { ca: pkiCa, ...(identity ? { cert: identity.cert, key: identity.key } : {}) } });
  agents.push(agent);
  return (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit);
}

function keeper(servers: { tokenEndpoint: string; apiBaseUrl: string }, fetch: FetchLike, method: "tls_client_auth" | "self_signed_tls_client_auth" = "tls_client_auth") {
  return createTokenKeeper({
    tokenEndpoint: servers.tokenEndpoint,
    clientId: "reports-client",
    clientAuth: customClientAuth(method, oauth.TlsClientAuth()),
    baseUrl: servers.apiBaseUrl,
    fetch,
    retry: { maxAttempts: 1 },
  });
}

const withPki = (name: string, body: (pki: MtlsPki) => Promise<void>) => test(name, () => (pki ? body(pki) : assert.unreachable("openssl is needed to make the test certificates")));

withPki("tls_client_auth: the token is bound to the client certificate, and keeper.fetch presents the same one to the API", async (pki) => {
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  try {
    const api = keeper(servers, fetchPresenting(pki.client, pki.ca));
    const res = await api.fetch("/v2/reports");
    assert.is(res.status, 200);
    const thumb = pemThumbprint(pki.client.cert);
    assert.equal(await res.json(), { ok: true, path: "/v2/reports", "x5t#S256": thumb });
    assert.equal(servers.issued.map((t) => t.cnf), [{ "x5t#S256": thumb }]);
    const [request] = servers.tokenRequests;
    assert.equal([...request!.form.keys()].sort(), ["client_id", "grant_type"]); // no secret, no assertion: the certificate is the credential
    assert.equal(servers.apiCalls.map((c) => [c.presented, c.status]), [[thumb, 200]]);
  } finally {
    await servers.close();
  }
});

withPki("a keeper whose API calls present another certificate is refused by the API: the token is bound to the first", async (pki) => {
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  try {
    const toTokenEndpoint = fetchPresenting(pki.client, pki.ca);
    const toApi = fetchPresenting(pki.other, pki.ca);
    const split: FetchLike = (input, init) => (new URL(input instanceof Request ? input.url : String(input)).href.startsWith(servers.tokenEndpoint) ? toTokenEndpoint : toApi)(input, init);
    const res = await keeper(servers, split).fetch("/v2/reports");
    assert.is(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /bound to another certificate/);
    assert.ok(servers.apiCalls.length >= 1 && servers.apiCalls.every((c) => c.status === 401 && c.presented === pemThumbprint(pki.other.cert)));
    assert.ok(servers.issued.every((t) => t.cnf["x5t#S256"] === pemThumbprint(pki.client.cert)));
  } finally {
    await servers.close();
  }
});

withPki("without a client certificate the handshake fails: the token request is a NETWORK_ERROR", async (pki) => {
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  try {
    const error = await keeper(servers, fetchPresenting(undefined, pki.ca)).getToken().then(() => undefined, (e: unknown) => e);
    assert.ok(isTokenKeeperError(error), String(error));
    assert.is(error.code, "NETWORK_ERROR");
    assert.equal(servers.issued, []);
  } finally {
    await servers.close();
  }
});

withPki("a certificate of the CA with another subject is invalid_client", async (pki) => {
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  try {
    const error = await keeper(servers, fetchPresenting(pki.other, pki.ca)).getToken().then(() => undefined, (e: unknown) => e);
    assert.ok(isTokenKeeperError(error));
    assert.equal([error.code, (error as { error?: string }).error], ["OAUTH_ERROR", "invalid_client"]);
  } finally {
    await servers.close();
  }
});

withPki("self_signed_tls_client_auth: the registered self-signed certificate authenticates, and binds the token", async (pki) => {
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "self_signed_tls_client_auth", certificate: pki.selfSigned.cert });
  try {
    const res = await keeper(servers, fetchPresenting(pki.selfSigned, pki.ca), "self_signed_tls_client_auth").fetch("/v2/reports");
    assert.is(res.status, 200);
    assert.equal(servers.issued.map((t) => t.cnf["x5t#S256"]), [pemThumbprint(pki.selfSigned.cert)]);
  } finally {
    await servers.close();
  }
});

test("a shared store needs the certificate's credentialId: two certificates never share a token", () => {
  assert.throws(() => createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "reports-client", clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth()), store: memoryStore() }), /credentialId/);
  createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "reports-client", clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth(), { credentialId: "x5t#S256:abc" }), store: memoryStore() }).close();
});

test.after(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
});

test.run();
