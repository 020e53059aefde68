// googleServiceAccount(): a key file made into keeper options for the JWT bearer grant, against a
// fake of Google's token endpoint and Cloud Storage (test/providers/google.ts) that checks requests
// and assertions as "Using OAuth 2.0 for Server to Server Applications" documents them
// (https://developers.google.com/identity/protocols/oauth2/service-account), and answers errors as
// Google sends them. The keeper around the grant is the same as for client credentials: cache,
// single flight, per-call scope, retries, events and shared stores are checked here once more.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretPost, clock, createTokenKeeper, googleServiceAccount, isTokenEndpointError, type TokenKeeperEvent, type TokenKeeperOptions } from "../mod.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { pem } from "./helpers/certificates.ts";
import { failure, json } from "./helpers/token-server.ts";
import { google, GOOGLE_STORAGE, GOOGLE_TOKEN_URI, type GoogleFake, JWT_BEARER_GRANT } from "./providers/google.ts";

const EMAIL = "reports@tokenkeeper-test.iam.gserviceaccount.com";
const READ_ONLY = "https://www.googleapis.com/auth/devstorage.read_only";

interface KeyFile {
  type: string;
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

/** A service account key file as the Cloud console downloads it, and the public key Google keeps. */
async function keyFile(keyId = "1f2e3d4c5b6a79880796a5b4c3d2e1f0a9b8c7d6"): Promise<{ file: KeyFile; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]) as CryptoKeyPair;
  const file: KeyFile = {
    type: "service_account",
    project_id: "tokenkeeper-test",
    private_key_id: keyId,
    private_key: pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey))),
    client_email: EMAIL,
    client_id: "112233445566778899000",
    token_uri: GOOGLE_TOKEN_URI,
  };
  return { file, publicKey: pair.publicKey };
}

let account: ReturnType<typeof keyFile> | undefined;
const theAccount = () => (account ??= keyFile());

async function setup(options: { delegation?: string[] } = {}): Promise<{ fake: GoogleFake; file: KeyFile }> {
  const { file, publicKey } = await theAccount();
  return { fake: google([{ clientEmail: EMAIL, keys: { [file.private_key_id]: publicKey }, ...options }]), file };
}

function storageKeeper(fake: GoogleFake, base: ReturnType<typeof googleServiceAccount>, extra: Partial<TokenKeeperOptions> = {}) {
  return createTokenKeeper({ ...base, baseUrl: `${GOOGLE_STORAGE}/storage/v1`, fetch: fake.fetch, retry: { baseDelayMs: 0, maxDelayMs: 0 }, [clock]: fake.clock, ...extra });
}

const test = suite("Google service accounts");

test("every token request carries an assertion as Google documents it, and nothing else: RS256, typ JWT, kid = private_key_id; iss, scope, aud = token_uri, iat, exp one hour later", async () => {
  const { fake, file } = await setup();
  const storage = storageKeeper(fake, googleServiceAccount(file, { scope: [READ_ONLY, "https://www.googleapis.com/auth/cloud-platform"] }));
  const res = await storage.fetch("/b/reports/o");
  assert.is(res.status, 200, await res.text());
  assert.equal(fake.tokenRequests().flatMap((r) => r.problems), []);
  const request = fake.tokenRequests()[0]!;
  assert.equal(request.form.pairs.map(([name]) => name), ["grant_type", "assertion"], "grant_type and assertion, no client authentication, no scope parameter");
  assert.is(request.form.get("grant_type"), JWT_BEARER_GRANT);
  assert.is(request.header("authorization"), null);
  const { header, claims } = fake.accepted[0]!;
  assert.equal(header, { alg: "RS256", kid: file.private_key_id, typ: "JWT" });
  assert.equal(Object.keys(claims).sort(), ["aud", "exp", "iat", "iss", "scope"], "the claims Google documents, no sub without delegation");
  assert.is(claims.iss, EMAIL);
  assert.is(claims.aud, GOOGLE_TOKEN_URI);
  assert.is(claims.scope, `${READ_ONLY} https://www.googleapis.com/auth/cloud-platform`);
  assert.is(claims.exp! - claims.iat!, 3600);
});

test("the keeper is the same as for client credentials: cached, one request for concurrent callers, per-call scope, retried on 503, with events", async () => {
  const { fake, file } = await setup();
  const events: TokenKeeperEvent[] = [];
  let unavailable = 1;
  const fetch: typeof fake.fetch = (input, init) => unavailable-- > 0 && String(input instanceof Request ? input.url : input) === GOOGLE_TOKEN_URI
    ? Promise.resolve(json({ error: "temporarily_unavailable" }, 503))
    : fake.fetch(input, init);
  const keeper = storageKeeper(fake, googleServiceAccount(file, { scope: READ_ONLY }), { fetch, onEvent: (event) => void events.push(event) });
  const tokens = await Promise.all(Array.from({ length: 20 }, () => keeper.getToken()));
  assert.is(new Set(tokens.map((t) => t.accessToken)).size, 1);
  assert.is(fake.tokenRequests().length, 1, "one request (after one 503) for 20 concurrent callers");
  assert.is((await keeper.getToken()).accessToken, tokens[0]!.accessToken, "cached");
  assert.ok(events.some((e) => e.type === "retry_scheduled") && events.some((e) => e.type === "token_fetched"));
  const other = await keeper.getToken({ scope: "https://www.googleapis.com/auth/cloud-platform" });
  assert.is.not(other.accessToken, tokens[0]!.accessToken);
  assert.is(fake.accepted.at(-1)!.claims.scope, "https://www.googleapis.com/auth/cloud-platform", "the per-call scope goes in that request's assertion");
  fake.clock.advance(3_600_000);
  assert.is((await keeper.fetch("/b/reports/o")).status, 200, "an expired token is renewed with a new assertion");
  assert.is(fake.tokenRequests().length, 3);
});

test("Google's errors come back as OAuth errors, not retried, that show no piece of the assertion: no scope, a key Google does not have, a user the account may not act for", async () => {
  const { fake, file } = await setup({ delegation: ["admin@example.com"] });
  const cases: [ReturnType<typeof googleServiceAccount>, string, RegExp][] = [
    [googleServiceAccount(file), "invalid_scope", /Invalid OAuth scope or ID token audience provided/],
    [googleServiceAccount({ ...file, private_key_id: "0000000000000000000000000000000000000000" }, { scope: READ_ONLY }), "invalid_grant", /Invalid JWT Signature/],
    [googleServiceAccount(file, { scope: READ_ONLY, subject: "someone@example.com" }), "unauthorized_client", /Client is unauthorized to retrieve access tokens/],
  ];
  for (const [options, code, description] of cases) {
    const before = fake.tokenRequests().length;
    const error = await failure(storageKeeper(fake, options).getToken());
    assert.ok(isTokenEndpointError(error) && error.error === code, error.message);
    assert.match(error.message, description);
    assert.is(fake.tokenRequests().length, before + 1, "not retried");
    const assertion = fake.tokenRequests().at(-1)!.form.get("assertion")!;
    for (let i = 0; i + 8 <= assertion.length; i += 8) assert.not.ok(JSON.stringify([error.message, String(error)]).includes(assertion.slice(i, i + 8)));
  }
  // The delegated user is allowed: `sub` is the user.
  await storageKeeper(fake, googleServiceAccount(file, { scope: READ_ONLY, subject: "admin@example.com" })).getToken();
  assert.is(fake.accepted.at(-1)!.claims.sub, "admin@example.com");
});

test("with a store, keepers share a token by service account, subject and key id, never by key", async () => {
  const { fake, file } = await setup({ delegation: ["admin@example.com"] });
  const store = memoryStore();
  const token = await storageKeeper(fake, googleServiceAccount(file, { scope: READ_ONLY }), { store }).getToken();
  // Another instance of the service, with the key file as JSON text.
  assert.is((await storageKeeper(fake, googleServiceAccount(JSON.stringify(file), { scope: READ_ONLY }), { store }).getToken()).accessToken, token.accessToken);
  const delegated = await storageKeeper(fake, googleServiceAccount(file, { scope: READ_ONLY, subject: "admin@example.com" }), { store }).getToken();
  assert.is.not(delegated.accessToken, token.accessToken, "another subject gets its own token");
  const rotated = await keyFile("2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d");
  const fake2 = google([{ clientEmail: EMAIL, keys: { [file.private_key_id]: (await theAccount()).publicKey, [rotated.file.private_key_id]: rotated.publicKey } }]);
  await storageKeeper(fake2, googleServiceAccount(file, { scope: READ_ONLY }), { store }).getToken();
  assert.is(fake2.tokenRequests().length, 0, "the same key id shares the stored token");
  await storageKeeper(fake2, googleServiceAccount(rotated.file, { scope: READ_ONLY }), { store }).getToken();
  assert.is(fake2.tokenRequests().length, 1, "a new key id gets its own token");
});

test.run();

const refused = suite("googleServiceAccount() refuses");

refused("what is not a service account key file, without quoting the private key", async () => {
  const { file } = await theAccount();
  const body = file.private_key.replace(/-----[^-]+-----|\s/g, "");
  const cases: [unknown, RegExp][] = [
    [`${JSON.stringify(file).slice(0, -1)},`, /the key file is not JSON/],
    [{ ...file, type: "authorized_user" }, /type is "authorized_user", not "service_account" \(user credentials from gcloud/],
    [{ ...file, client_email: undefined }, /the key file has no client_email/],
    [{ ...file, private_key_id: "" }, /the key file has no private_key_id/],
    [{ ...file, private_key: file.private_key.replace(/PRIVATE KEY/g, "RSA PRIVATE KEY") }, /private_key is not a PKCS#8 RSA key/],
    [{ ...file, private_key: pem("PRIVATE KEY", new Uint8Array([0x30, 0x03, 0x02, 0x01])) }, /PKCS#8 private key is not valid DER/],
    [[file], /must be a JSON object/],
  ];
  for (const [keyFile, pattern] of cases) {
    const error = (() => {
      try {
        googleServiceAccount(keyFile as string);
      } catch (e) {
        return e;
      }
    })();
    assert.instance(error, TypeError, String(pattern));
    assert.match((error as Error).message, pattern);
    for (let i = 0; i + 16 <= body.length; i += 16) assert.not.ok((error as Error).message.includes(body.slice(i, i + 16)));
  }
  assert.throws(() => googleServiceAccount(file, { subject: "" }), /subject must be a non-empty string/);
});

refused("a keeper with the grant and a client secret or clientAuth, and a grant option that is no grant", async () => {
  const { file } = await theAccount();
  const options = googleServiceAccount(file, { scope: READ_ONLY });
  assert.throws(() => createTokenKeeper({ ...options, clientSecret: "s" }), /grant: googleServiceAccount\(\) authenticates with its assertion \(RFC 7523 §2\.1\), so give neither clientSecret nor clientAuth/);
  assert.throws(() => createTokenKeeper({ ...options, clientAuth: clientSecretPost("s") }), /give neither clientSecret nor clientAuth/);
  assert.throws(() => createTokenKeeper({ ...options, grant: { type: JWT_BEARER_GRANT } as never }), /grant: must be jwtBearer\(\)/);
});

refused.run();
