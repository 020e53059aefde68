// Client authentication (clientSecretJwt(), privateKeyJwt(), customClientAuth()): the options and
// methods the conformance suite does not drive, and the guards around a caller's own function.
// client_secret_post, client_secret_basic and private_key_jwt on the wire are graded by AUTH-01,
// AUTH-02, AUTH-04, AUTH-05, AUTH-07, AUTH-08 and AUTH-10.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as jose from "jose";
import { clientSecretJwt, customClientAuth, privateKeyJwt } from "../mod.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { failure, form, harness, SECRET } from "./helpers/token-server.ts";
import * as oauth from "oauth4webapi";

const test = suite("client authentication");

test("privateKeyJwt's audience option sets the assertion's aud", async () => {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: privateKeyJwt({ key: privateKey, kid: "k1" }, { audience: "https://as.test" }) });
  await keeper.getToken();
  const { payload, protectedHeader } = await jose.jwtVerify(form(server.tokenRequests[0]!).get("client_assertion")!, publicKey, { audience: "https://as.test" });
  assert.is(protectedHeader.alg, "ES256");
  assert.is(protectedHeader.kid, "k1");
  assert.is(payload.aud, "https://as.test");
});

test("clientSecretJwt signs an HS256 assertion with the secret, for the token endpoint by default", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: clientSecretJwt(SECRET) });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.is(body.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  assert.not.ok(body.has("client_secret"), "the secret itself is never sent");
  const { payload, protectedHeader } = await jose.jwtVerify(body.get("client_assertion")!, new TextEncoder().encode(SECRET), { audience: "https://as.test/token" });
  assert.is(protectedHeader.alg, "HS256");
  assert.is(payload.iss, "s6BhdRkqt3");
  assert.is(payload.sub, "s6BhdRkqt3");
});

test.run();

const shared = suite("privateKeyJwt with a shared store");

const ecPair = (extractable = false) => crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, extractable, ["sign", "verify"]) as Promise<CryptoKeyPair>;

shared("keepers with different key pairs never share a token through a store; the same key, however given, does", async () => {
  const store = memoryStore();
  const pair = await ecPair();
  const exportable = await ecPair(true);
  const other = await ecPair();
  const keeper = (clientAuth: ReturnType<typeof privateKeyJwt>, server?: ReturnType<typeof harness>["server"]) => harness({ store, clientSecret: undefined, clientAuth }, server);
  const first = keeper(privateKeyJwt(pair));
  const token = await first.keeper.getToken();
  const same = [privateKeyJwt({ key: pair.privateKey, kid: "k1", publicKey: pair.publicKey }), privateKeyJwt(pair)];
  for (const auth of same) assert.is((await keeper(auth, first.server).keeper.getToken()).accessToken, token.accessToken);
  assert.is.not((await keeper(privateKeyJwt(other), first.server).keeper.getToken()).accessToken, token.accessToken);
  // An extractable private key gives its public key's thumbprint by itself.
  const alone = await keeper(privateKeyJwt(exportable.privateKey), first.server).keeper.getToken();
  assert.is((await keeper(privateKeyJwt(exportable), first.server).keeper.getToken()).accessToken, alone.accessToken);
  assert.is(first.server.tokenRequests.length, 3);
});

shared("a keeper that gives another key pair's public key is refused with CREDENTIAL_UNUSABLE and sends no token request", async () => {
  const store = memoryStore();
  const victim = await ecPair();
  const first = harness({ store, clientSecret: undefined, clientAuth: privateKeyJwt(victim) });
  const token = await first.keeper.getToken();
  // Public keys are public: anyone can name the victim's, but cannot sign for it.
  const impostor = harness({ store, clientSecret: undefined, clientAuth: privateKeyJwt({ key: (await ecPair()).privateKey, publicKey: victim.publicKey }) }, first.server);
  impostor.clock.t = first.clock.t;
  const error = await failure(impostor.keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /publicKey does not verify/);
  assert.not.ok(JSON.stringify(impostor.events).includes(token.accessToken));
  assert.is(first.server.tokenRequests.length, 1);
});

shared("the public key is checked against RS256, PS256, ES384 and Ed25519 private keys too", async () => {
  const algorithms = [
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    { name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    { name: "ECDSA", namedCurve: "P-384" },
    { name: "Ed25519" },
  ];
  for (const algorithm of algorithms) {
    const pair = await crypto.subtle.generateKey(algorithm, false, ["sign", "verify"]) as CryptoKeyPair;
    const other = await crypto.subtle.generateKey(algorithm, false, ["sign", "verify"]) as CryptoKeyPair;
    const good = harness({ store: memoryStore(), clientSecret: undefined, clientAuth: privateKeyJwt(pair) });
    assert.ok((await good.keeper.getToken()).accessToken, algorithm.name);
    const bad = harness({ store: memoryStore(), clientSecret: undefined, clientAuth: privateKeyJwt({ key: pair.privateKey, publicKey: other.publicKey }) });
    assert.is((await failure(bad.keeper.getToken())).code, "CREDENTIAL_UNUSABLE", algorithm.name);
  }
});

shared("a keeper with a store refuses a non-extractable private key without its public key, naming the fix; without a store it works", async () => {
  const { privateKey } = await ecPair();
  assert.throws(
    () => harness({ store: memoryStore(), clientSecret: undefined, clientAuth: privateKeyJwt(privateKey) }),
    (error: unknown) => error instanceof TypeError && /privateKeyJwt\(keyPair\) or privateKeyJwt\(\{ key, publicKey \}\)/.test(error.message),
  );
  const alone = harness({ clientSecret: undefined, clientAuth: privateKeyJwt(privateKey) });
  assert.ok((await alone.keeper.getToken()).accessToken);
});

shared("privateKeyJwt refuses a publicKey that is not an extractable public key", async () => {
  const pair = await ecPair();
  const hidden = await crypto.subtle.importKey("jwk", await crypto.subtle.exportKey("jwk", pair.publicKey), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  for (const publicKey of [pair.privateKey, hidden, "not a key"]) {
    assert.throws(() => privateKeyJwt({ key: pair.privateKey, publicKey: publicKey as CryptoKey }), /publicKey must be the key pair's public CryptoKey, extractable/);
  }
});

shared.run();

const custom = suite("custom client authentication");


custom("any oauth4webapi ClientAuth can be used through customClientAuth", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: customClientAuth("client_secret_basic", oauth.ClientSecretBasic("7Fjfp0ZBr1KtDRbnfVdmIw")) });
  await keeper.getToken();
  assert.is(server.tokenRequests[0]!.headers.get("authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
});

custom("oauth4webapi None() wrapped as custom auth named none is refused", () => {
  assert.throws(() => customClientAuth("none", oauth.None()), /"none" is not client authentication/);
});

custom("oauth4webapi None() wrapped under another method name is refused", () => {
  assert.throws(() => customClientAuth("private_key_jwt", oauth.None()), /None\(\) sends no client credential/);
  assert.not.throws(() => customClientAuth("tls_client_auth", oauth.TlsClientAuth()), "mTLS authenticates with the certificate");
});

custom("a custom client authentication that throws is CREDENTIAL_UNUSABLE, and its message is not shown", async () => {
  const { keeper, server } = harness({
    clientSecret: undefined,
    clientAuth: customClientAuth("client_secret_post", () => {
      throw new RangeError(`vault answered ${SECRET}`);
    }),
  });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /threw RangeError/);
  assert.not.ok(error.message.includes(SECRET));
  assert.is(server.tokenRequests.length, 0);
});

custom("a custom client authentication that adds no credential never sends the request", async () => {
  const { keeper, server } = harness({
    clientSecret: undefined,
    clientAuth: customClientAuth("private_key_jwt", (_as, client, body) => void body.set("client_id", client.client_id)),
  });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /added no client credential/);
  assert.is(server.tokenRequests.length, 0);
});

custom("a keeper with a shared store refuses customClientAuth without a credentialId, naming the fix; without a store it works", async () => {
  const clientAuth = customClientAuth("client_secret_basic", oauth.ClientSecretBasic(SECRET));
  assert.throws(
    () => harness({ store: memoryStore(), clientSecret: undefined, clientAuth }),
    (error: unknown) => error instanceof TypeError && /customClientAuth\(method, auth, \{ credentialId \}\)/.test(error.message) && !error.message.includes(SECRET),
  );
  assert.ok((await harness({ clientSecret: undefined, clientAuth }).keeper.getToken()).accessToken);
});

custom("customClientAuth keepers share a token through a store only when their credentialIds are equal", async () => {
  const store = memoryStore();
  const auth = (credentialId: string) => customClientAuth("client_secret_basic", oauth.ClientSecretBasic(SECRET), { credentialId });
  const first = harness({ store, clientSecret: undefined, clientAuth: auth("vault:client/v1") });
  const token = await first.keeper.getToken();
  const same = harness({ store, clientSecret: undefined, clientAuth: auth("vault:client/v1") }, first.server);
  const rotated = harness({ store, clientSecret: undefined, clientAuth: auth("vault:client/v2") }, first.server);
  assert.is((await same.keeper.getToken()).accessToken, token.accessToken);
  assert.is.not((await rotated.keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 2);
});

custom("customClientAuth refuses a credentialId that is not a non-empty string", () => {
  for (const credentialId of ["", 7, null]) {
    assert.throws(() => customClientAuth("tls_client_auth", oauth.TlsClientAuth(), { credentialId: credentialId as string }), /credentialId must be a non-empty string/);
  }
});

custom.run();
