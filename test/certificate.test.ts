// certificateKey() with privateKeyJwt(): X.509 certificate credentials, against a fake Microsoft
// Entra ID tenant (test/providers/entra-id.ts) that checks the assertion the way Entra's
// docs state it (https://learn.microsoft.com/entra/identity-platform/certificate-credentials):
// header alg PS256 (RS256 with x5t in the older docs), typ JWT, the certificate's thumbprint; claims
// aud = the v2.0 token endpoint, iss = sub = the client id, a unique jti, exp and nbf.
// private_key_jwt itself on the wire is graded by the conformance scenarios (AUTH-04, AUTH-05).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, importX509 } from "jose";
import { rsaAssertionKey } from "../conformance/fake/keys.ts";
import { certificateKey, clock, createTokenKeeper, isTokenEndpointError, privateKeyJwt, type ClientAuthentication, type TokenKeeper } from "../mod.ts";
import { jwkThumbprint } from "../src/lib/fingerprint.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { createCertificate, type TestCertificate } from "./helpers/certificates.ts";
import { failure } from "./helpers/token-server.ts";
import { entraId, type EntraFake, entraTokenEndpoint, GRAPH, GRAPH_SCOPE, JWT_BEARER_ASSERTION } from "./providers/entra-id.ts";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05";

let rsa: Promise<TestCertificate> | undefined;
const rsaCertificate = () => (rsa ??= createCertificate("RSA"));

function graphKeeper(fake: EntraFake, clientAuth: ClientAuthentication, extra: Record<string, unknown> = {}): TokenKeeper {
  return createTokenKeeper({
    tokenEndpoint: entraTokenEndpoint(TENANT),
    clientId: CLIENT_ID,
    clientAuth,
    scope: GRAPH_SCOPE,
    baseUrl: `${GRAPH}/v1.0`,
    fetch: fake.fetch,
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    [clock]: fake.clock,
    ...extra,
  });
}

/** Every 8-character piece of `secret` found in what the error shows. */
function leaked(error: unknown, secret: string): string[] {
  const shown: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) shown.push(e.message, String(e), JSON.stringify(e), JSON.stringify(Object.entries(e)));
  const text = shown.join("\n");
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

const test = suite("certificate credentials (Entra ID)");

test("a certificate's assertion is what Entra's docs state: PS256, typ JWT, x5t#S256; aud the token endpoint, iss = sub = client id, unique jti, exp, nbf", async () => {
  const certificate = await rsaCertificate();
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
  const keeper = graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.pem + certificate.keyPem)));
  const first = await keeper.fetch("/users");
  assert.is(first.status, 200, await first.text());
  await keeper.getToken({ forceRefresh: true });
  assert.equal(fake.tokenRequests().flatMap((r) => r.problems), []);
  assert.is(fake.accepted.length, 2, "the tenant accepted both assertions");
  for (const [i, { header, claims }] of fake.accepted.entries()) {
    assert.equal(header, { alg: "PS256", typ: "JWT", "x5t#S256": certificate.x5tS256 }, "the header names the certificate, and nothing else");
    assert.is(claims.aud, entraTokenEndpoint(TENANT));
    assert.is(claims.iss, CLIENT_ID);
    assert.is(claims.sub, CLIENT_ID);
    assert.type(claims.jti, "string");
    assert.ok(typeof claims.nbf === "number" && typeof claims.exp === "number" && claims.exp > claims.nbf && claims.exp - claims.nbf <= 600, "exp 5-10 minutes after nbf at most");
    const body = fake.tokenRequests()[i]!.form;
    assert.equal(
      body.pairs.map(([name]) => name).sort(),
      ["client_assertion", "client_assertion_type", "client_id", "grant_type", "scope"],
      "the parameters of Entra's certificate request, no client_secret",
    );
    assert.is(body.get("client_assertion_type"), JWT_BEARER_ASSERTION);
    assert.is(body.get("scope"), GRAPH_SCOPE);
  }
  assert.is.not(fake.accepted[0]!.claims.jti, fake.accepted[1]!.claims.jti, "a new jti for every request");
});

test("RS256 with the SHA-1 thumbprint in x5t, as Entra's older docs show it, and both thumbprints when asked", async () => {
  const certificate = await rsaCertificate();
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
  await graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.pem + certificate.keyPem, { alg: "RS256", thumbprints: ["x5t"] }))).getToken();
  await graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.pem + certificate.keyPem, { thumbprints: ["x5t#S256", "x5t"], kid: "cert-2026" }))).getToken();
  assert.equal(fake.accepted.map((a) => a.header), [
    { alg: "RS256", typ: "JWT", x5t: certificate.x5t },
    { alg: "PS256", kid: "cert-2026", typ: "JWT", "x5t#S256": certificate.x5tS256, x5t: certificate.x5t },
  ]);
});

test("the certificate and key are read from a PEM bundle, { certificate, privateKey } in PEM, DER and CryptoKey forms, and a private JWK with x5c", async () => {
  const certificate = await rsaCertificate();
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
  const imported = await crypto.subtle.importKey("pkcs8", Uint8Array.from(atob(certificate.keyPem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0)), { name: "RSA-PSS", hash: "SHA-256" }, false, ["sign"]);
  const sources = [
    certificate.keyPem + certificate.pem, // key first: blocks are found by their label
    { certificate: certificate.pem, privateKey: certificate.keyPem },
    { certificate: certificate.der, privateKey: imported },
    { ...certificate.jwk, kid: "jwk-kid" },
    // A PEM pasted into an environment variable with literal \n escapes.
    (certificate.pem + certificate.keyPem).replace(/\n/g, "\\n"),
  ];
  for (const source of sources) await graphKeeper(fake, privateKeyJwt(await certificateKey(source))).getToken();
  assert.is(fake.accepted.length, sources.length);
  assert.ok(fake.accepted.every((a) => a.header["x5t#S256"] === certificate.x5tS256));
  assert.is(fake.accepted[3]!.header.kid, "jwk-kid", "a JWK's kid goes in the header");
});

test("a certificate made by openssl gives the thumbprints of its DER and signs assertions Entra accepts", async () => {
  const openssl = await rsaAssertionKey();
  const key = await certificateKey({ certificate: openssl.certificatePem!, privateKey: openssl.privateKeyPem! }, { thumbprints: ["x5t#S256", "x5t"] });
  assert.is(key["x5t#S256"], openssl.x5tS256);
  assert.is(key.x5t, openssl.x5t);
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [openssl.certificatePem!] });
  assert.ok((await graphKeeper(fake, privateKeyJwt(key)).getToken()).accessToken);
});

test("the public key is the certificate's SubjectPublicKeyInfo: its JWK thumbprint is the one jose reads from the certificate", async () => {
  for (const type of ["RSA", "P-256", "P-384", "Ed25519"] as const) {
    const certificate = type === "RSA" ? await rsaCertificate() : await createCertificate(type);
    const alg = { RSA: "PS256", "P-256": "ES256", "P-384": "ES384", Ed25519: "EdDSA" }[type];
    const key = await certificateKey(certificate.pem + certificate.keyPem);
    const expected = await calculateJwkThumbprint(await exportJWK(await importX509(certificate.pem, alg, { extractable: true })));
    assert.is(await jwkThumbprint(key.publicKey), expected, type);
    assert.is(key.key.extractable, false, "the private key is imported for signing only");
    assert.equal(key.key.usages, ["sign"]);
  }
});

test("EC and Ed25519 certificates sign ES256, ES384 and Ed25519 assertions with their thumbprint; Entra refuses them as it does (AADSTS5002738)", async () => {
  for (const [type, alg] of [["P-256", "ES256"], ["P-384", "ES384"], ["Ed25519", "Ed25519"]] as const) {
    const certificate = await createCertificate(type);
    const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
    const error = await failure(graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.jwk))).getToken());
    assert.ok(isTokenEndpointError(error) && error.error === "invalid_request" && error.error_description?.startsWith("AADSTS5002738"), error.message);
    const assertion = fake.tokenRequests()[0]!.form.get("client_assertion")!;
    assert.equal(decodeProtectedHeader(assertion), { alg, typ: "JWT", "x5t#S256": certificate.x5tS256 });
    assert.is(decodeJwt(assertion).iss, CLIENT_ID);
  }
});

test("Entra's answer to an unregistered certificate is an OAuth error, not retried, that shows no piece of the assertion", async () => {
  const registered = await rsaCertificate();
  const other = await createCertificate("RSA");
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [registered.pem] });
  const error = await failure(graphKeeper(fake, privateKeyJwt(await certificateKey(other.pem + other.keyPem))).getToken());
  assert.ok(isTokenEndpointError(error) && error.error === "invalid_client" && error.status === 401, error.message);
  assert.match(error.message, /AADSTS700027: Client assertion failed signature validation/);
  assert.is(fake.tokenRequests().length, 1, "an OAuth error is not retried");
  assert.equal(leaked(error, fake.tokenRequests()[0]!.form.get("client_assertion")!), []);
});

test("keepers share a token through a store only with the same certificate, however it is given", async () => {
  const store = memoryStore();
  const certificate = await rsaCertificate();
  const other = await createCertificate("RSA");
  const fake = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem, other.pem] });
  const token = await graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.pem + certificate.keyPem)), { store }).getToken();
  const same = await graphKeeper(fake, privateKeyJwt(await certificateKey(certificate.jwk, { alg: "RS256", thumbprints: ["x5t"] })), { store }).getToken();
  const another = await graphKeeper(fake, privateKeyJwt(await certificateKey(other.pem + other.keyPem)), { store }).getToken();
  assert.is(same.accessToken, token.accessToken, "the same certificate's key shares the token");
  assert.is.not(another.accessToken, token.accessToken, "another certificate gets its own");
  assert.is(fake.tokenRequests().length, 2);
});

test.run();

const refused = suite("certificateKey() refuses");

/** Asserts a TypeError matching `pattern` that quotes no base64 of the material given. */
async function refuses(make: () => Promise<unknown>, pattern: RegExp, material: string[] = []): Promise<void> {
  const error = await make().then(() => undefined, (e: unknown) => e);
  assert.instance(error, TypeError, `expected a TypeError for ${pattern}`);
  assert.match((error as Error).message, pattern);
  for (const text of material) {
    const body = text.replace(/-----[^-]+-----|\s/g, "");
    for (let i = 0; i + 16 <= body.length; i += 16) assert.not.ok((error as Error).message.includes(body.slice(i, i + 16)), "the message quotes the key or certificate");
  }
}

refused("a private key that does not belong to the certificate", async () => {
  const certificate = await rsaCertificate();
  const other = await createCertificate("RSA");
  const ec = await createCertificate("P-256");
  await refuses(() => certificateKey(certificate.pem + other.keyPem), /private key does not belong to the certificate/, [other.keyPem]);
  await refuses(() => certificateKey(certificate.pem + ec.keyPem), /private key does not belong to the certificate/, [ec.keyPem]);
});

refused("an encrypted or PKCS#1 key, saying how to convert it; no key; no certificate", async () => {
  const certificate = await rsaCertificate();
  await refuses(() => certificateKey(`${certificate.pem}-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----`), /encrypted; decrypt it first \(openssl pkcs8/);
  await refuses(() => certificateKey(`${certificate.pem}-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----`), /openssl pkcs8 -topk8 -nocrypt/);
  await refuses(() => certificateKey(certificate.pem), /no PKCS#8 "PRIVATE KEY" PEM block/);
  await refuses(() => certificateKey(certificate.keyPem), /no X\.509 certificate/, [certificate.keyPem]);
  await refuses(() => certificateKey({ ...certificate.jwk, x5c: [] }), /no x5c/);
  await refuses(() => certificateKey({ ...certificate.jwk, d: undefined }), /not a private key/);
});

refused("malformed DER and base64, without quoting them", async () => {
  const certificate = await rsaCertificate();
  const truncated = `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...certificate.der.slice(0, 200)))}\n-----END CERTIFICATE-----\n`;
  await refuses(() => certificateKey(truncated + certificate.keyPem), /certificate is not valid DER/, [certificate.keyPem]);
  await refuses(() => certificateKey({ certificate: new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), privateKey: certificate.keyPem }), /certificate is not valid DER/);
  await refuses(() => certificateKey(`-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n${certificate.keyPem}`), /CERTIFICATE block is not base64/);
});

refused("an alg that does not fit the key, and malformed options", async () => {
  const certificate = await rsaCertificate();
  const ec = await createCertificate("P-256");
  await refuses(() => certificateKey(certificate.pem + certificate.keyPem, { alg: "ES256" }), /alg "ES256" cannot be used with an RSA key/);
  await refuses(() => certificateKey(ec.pem + ec.keyPem, { alg: "PS256" }), /alg "PS256" cannot be used with a P-256 key \(ES256\)/);
  const pkcs1v15 = await crypto.subtle.importKey("jwk", { ...certificate.jwk, x5c: undefined } as JsonWebKey, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  await refuses(() => certificateKey({ certificate: certificate.pem, privateKey: pkcs1v15 }), /is RSASSA-PKCS1-v1_5 with SHA-256, not RSA-PSS with SHA-256 as alg asks/);
  await refuses(() => certificateKey(certificate.pem + certificate.keyPem, { thumbprints: ["x5t#S512" as "x5t"] }), /thumbprints must list/);
  await refuses(() => certificateKey(certificate.pem + certificate.keyPem, { kid: "" }), /kid must be a non-empty string/);
});

refused("privateKeyJwt refuses a thumbprint that is not base64url", async () => {
  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  assert.throws(() => privateKeyJwt({ key: privateKey, "x5t#S256": "not base64url!" }), /x5t#S256 must be a base64url thumbprint/);
  assert.throws(() => privateKeyJwt({ key: privateKey, x5t: 42 as unknown as string }), /x5t must be a base64url thumbprint/);
});

refused.run();
