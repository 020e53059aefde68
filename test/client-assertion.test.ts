// clientAssertion(): federated client assertions from a function (GitHub Actions' OIDC token,
// against a fake of its endpoint) or a file (Kubernetes' projected service account token in
// AZURE_FEDERATED_TOKEN_FILE, rotated while the keeper runs), sent to a fake Microsoft Entra ID
// tenant that checks them against its federated identity credentials
// (https://learn.microsoft.com/entra/workload-id/workload-identity-federation); the assertion's own
// expiry, redaction, and the shared-store fingerprint. The file tests run where the runtime can
// write files (Node, Bun; Deno with --allow-write); workerd checks that a file source is refused.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SignJWT } from "jose";
import { route } from "../conformance/fake/server.ts";
import { type ClientAuthentication, clientAssertion, clock, createTokenKeeper, type FetchLike, type TokenKeeperEvent, type TokenKeeperOptions } from "../mod.ts";
import { readTextFile } from "../src/lib/files.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { tempFiles } from "./helpers/files.ts";
import { failure, form, harness, json } from "./helpers/token-server.ts";
import { entraId, entraTokenEndpoint, GRAPH, GRAPH_SCOPE, JWT_BEARER_ASSERTION, TOKEN_EXCHANGE_AUDIENCE } from "./providers/entra-id.ts";
import { githubActions } from "./providers/github-actions.ts";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05";
const CLUSTER = "https://oidc.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/7d8f0c6e-6a0b-4b8a-9d3c-5c4f1e2a3b4c/";
const WORKLOAD = "system:serviceaccount:payments:workload-identity-sa";

const issuerKeys = crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;

/** A projected service account token as the kubelet writes it, valid from `nowMs` for `lifetimeS`. */
async function serviceAccountToken(nowMs: number, lifetimeS = 3600, subject = WORKLOAD): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ "kubernetes.io": { namespace: "payments", serviceaccount: { name: "workload-identity-sa" } } })
    .setProtectedHeader({ alg: "RS256", kid: "cluster-key-1" })
    .setIssuer(CLUSTER)
    .setSubject(subject)
    .setAudience([TOKEN_EXCHANGE_AUDIENCE])
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + lifetimeS)
    .sign((await issuerKeys).privateKey);
}

/** Every 8-character piece of `secret` in what the error shows: message, String(), JSON, its fields, the cause chain. */
function leaked(error: unknown, secret: string): string[] {
  const shown: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) shown.push(e.message, String(e), JSON.stringify(e), JSON.stringify(Object.entries(e)));
  const text = shown.join("\n");
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

const graphOptions = (fetch: FetchLike, clientAuth: ClientAuthentication, extra: Partial<TokenKeeperOptions> = {}): TokenKeeperOptions => ({
  tokenEndpoint: entraTokenEndpoint(TENANT),
  clientId: CLIENT_ID,
  clientAuth,
  scope: GRAPH_SCOPE,
  baseUrl: `${GRAPH}/v1.0`,
  fetch,
  retry: { baseDelayMs: 0, maxDelayMs: 0 },
  ...extra,
});

const test = suite("federated client assertions");

test("GitHub Actions: the OIDC token, got with the request token and audience api://AzureADTokenExchange, is sent as Entra documents a federated credential", async () => {
  const github = await githubActions();
  const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: "https://token.actions.githubusercontent.com", subject: github.subject, key: github.publicKey }] });
  const network = route(entra, github);
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken };
  // The function of clientAssertion()'s TSDoc example, with the fake's network.
  const clientAuth = clientAssertion(async () => {
    const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
    url.searchParams.set("audience", "api://AzureADTokenExchange");
    const res = await network(url, { headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
    if (!res.ok) throw new Error(`GitHub OIDC token request failed: ${res.status}`);
    return ((await res.json()) as { value: string }).value;
  });
  const graph = createTokenKeeper(graphOptions(network, clientAuth));
  const res = await graph.fetch("/users");
  assert.is(res.status, 200, await res.text());
  assert.equal([...github.requests, ...entra.requests].flatMap((r) => r.problems), []);
  assert.is(new URL(github.requests[0]!.url).searchParams.get("audience"), TOKEN_EXCHANGE_AUDIENCE);
  const body = entra.tokenRequests()[0]!.form;
  assert.equal(body.pairs.map(([name]) => name).sort(), ["client_assertion", "client_assertion_type", "client_id", "grant_type", "scope"]);
  assert.is(body.get("client_assertion_type"), JWT_BEARER_ASSERTION);
  assert.is(body.get("client_assertion"), github.tokens[0]);
  assert.is(entra.accepted[0]!.kind, "federated");
  assert.is(entra.accepted[0]!.claims.sub, "repo:octo-org/octo-repo:ref:refs/heads/main");
});

test("a function is called again only when its assertion has less than a minute left, and concurrent token requests share one call", async () => {
  let calls = 0;
  const { keeper, clock: time, server } = harness({ clientSecret: undefined, clientAuth: clientAssertion(async () => (calls++, serviceAccountToken(time.now(), 600))) });
  await Promise.all([keeper.getToken(), keeper.getToken({ scope: "a" }), keeper.getToken({ scope: "b" })]);
  assert.is(server.tokenRequests.length, 3);
  assert.is(calls, 1, "one call for three concurrent token requests");
  time.advance(530_000); // 70 s left: still used
  await keeper.getToken({ forceRefresh: true });
  assert.is(calls, 1);
  time.advance(20_000); // 50 s left: a new one
  await keeper.getToken({ forceRefresh: true });
  assert.is(calls, 2);
  const sent = server.tokenRequests.map((r) => form(r).get("client_assertion"));
  assert.is(new Set(sent.slice(0, 4)).size, 1, "the first assertion until its last minute");
  assert.is.not(sent[4], sent[0], "then a new one");
});

test("an assertion past its exp is never sent: CREDENTIAL_UNUSABLE names the source and the expiry, not the assertion, and is not retried", async () => {
  const { keeper, clock: time, server } = harness({ clientSecret: undefined, clientAuth: clientAssertion(() => expired) });
  const expired = await serviceAccountToken(time.now() - 3_600_000, 1800);
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /the client assertion from clientAssertion\(\)'s function expired at \d{4}-\d\d-\d\dT/);
  assert.is(error.retryable, false);
  assert.is(server.tokenRequests.length, 0);
  assert.equal(leaked(error, expired), []);
});

test("the assertion's own expiry bounds retries: past it, a retry gets a new assertion, or fails when the source has none", async () => {
  for (const renewed of [true, false]) {
    let current = "";
    const events: TokenKeeperEvent[] = [];
    const { keeper, clock: time, server } = harness({
      clientSecret: undefined,
      clientAuth: clientAssertion(async () => (current = renewed || current === "" ? await serviceAccountToken(time.now(), 120) : current)),
      // The backoff between the attempts outlasts the assertion.
      onEvent: (event) => void (events.push(event), event.type === "retry_scheduled" && time.advance(180_000)),
    });
    server.replies.push(() => json({ error: "temporarily_unavailable" }, 503));
    const outcome = await keeper.getToken().then(() => undefined, (e: unknown) => e);
    const sent = server.tokenRequests.map((r) => form(r).get("client_assertion"));
    if (renewed) {
      assert.is(outcome, undefined, "the retry with a new assertion got the token");
      assert.is(sent.length, 2);
      assert.is.not(sent[0], sent[1]);
    } else {
      assert.is((outcome as { code?: string }).code, "CREDENTIAL_UNUSABLE");
      assert.match((outcome as Error).message, /expired at/);
      assert.is(sent.length, 1, "no retry with the expired assertion");
    }
    assert.ok(events.some((e) => e.type === "retry_scheduled"));
  }
});

test("a federated assertion the server echoes (raw, JSON-escaped, percent-encoded, in part, in an HTML page) never survives in an error", async () => {
  const { keeper, clock: time, server } = harness({ clientSecret: undefined, clientAuth: clientAssertion(() => serviceAccountToken(time.now())), retry: false });
  const echoes = [
    (a: string) => json({ error: "invalid_client", error_description: `AADSTS700027: bad assertion ${a}` }, 401),
    (a: string) => json({ error: "invalid_request", error_description: `assertion=${encodeURIComponent(a)} ${JSON.stringify(a.slice(40, 120))}` }, 400),
    (a: string) => new Response(`<html><body><pre>client_assertion: ${a.slice(10, 200).replace(/\./g, "&#46;")}</pre></body></html>`, { status: 500, headers: { "content-type": "text/html" } }),
  ];
  for (const echo of echoes) {
    server.replies.push((request) => echo(form(request).get("client_assertion")!));
    const error = await failure(keeper.getToken({ forceRefresh: true }));
    const sent = form(server.tokenRequests.at(-1)!).get("client_assertion")!;
    assert.ok(error.message.length > 0);
    assert.equal(leaked(error, sent), [], error.message);
  }
  // The check above finds an assertion where it is: an error that quotes it fails it.
  assert.ok(leaked(new Error(`x ${form(server.tokenRequests[0]!).get("client_assertion")}`), form(server.tokenRequests[0]!).get("client_assertion")!).length > 0);
});

test("a function that throws is CREDENTIAL_UNUSABLE without its message (which may quote the request token); one that returns no JWT too", async () => {
  const requestToken = "ghs_SENTINEL_request_token_0123456789";
  const thrower = harness({ clientSecret: undefined, clientAuth: clientAssertion(() => { throw new TypeError(`fetch failed with ${requestToken}`); }) });
  const error = await failure(thrower.keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /clientAssertion\(\)'s function threw TypeError/);
  assert.equal(leaked(error, requestToken), []);
  for (const value of ["not a jwt", "a.b", "", 42]) {
    const { keeper, server } = harness({ clientSecret: undefined, clientAuth: clientAssertion(() => value as string) });
    assert.match((await failure(keeper.getToken())).message, /is not a JWT/);
    assert.is(server.tokenRequests.length, 0);
  }
});

test("with a store, keepers are told apart by the assertion's iss and sub: the same workload shares a token across rotations, another does not", async () => {
  const store = memoryStore();
  const first = harness({ store, clientSecret: undefined, clientAuth: clientAssertion(() => serviceAccountToken(first.clock.now())) });
  const token = await first.keeper.getToken();
  // Another instance of the workload, with a token the kubelet rotated since.
  const rotated = harness({ store, clientSecret: undefined, clientAuth: clientAssertion(() => serviceAccountToken(first.clock.now() + 60_000)) }, first.server);
  assert.is((await rotated.keeper.getToken()).accessToken, token.accessToken);
  const other = harness({ store, clientSecret: undefined, clientAuth: clientAssertion(() => serviceAccountToken(first.clock.now(), 3600, "system:serviceaccount:other:sa")) }, first.server);
  assert.is.not((await other.keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 2);
});

test("with a store, an assertion that cannot be got now is tried again on the next call, not kept as a failure", async () => {
  let fail = true;
  const { keeper, clock: time } = harness({
    store: memoryStore(),
    clientSecret: undefined,
    clientAuth: clientAssertion(() => {
      if (fail) throw new TypeError("fetch failed");
      return serviceAccountToken(time.now());
    }),
  });
  assert.is((await failure(keeper.getToken())).code, "CREDENTIAL_UNUSABLE");
  fail = false;
  assert.ok((await keeper.getToken()).accessToken);
});

test("clientAssertion refuses a source that is neither a function nor { file }", () => {
  for (const source of [undefined, null, "eyJ...", { file: "" }, { path: "/var/run/token" }]) {
    assert.throws(() => clientAssertion(source as never), /source must be a function that returns the assertion, or \{ file: path \}/);
  }
});

test.run();

const files = suite("federated client assertions from a file");

if (tempFiles !== undefined) {
  const makeTemp = tempFiles;

  files("Entra workload identity: the token file is read for every token request, so a rotation while the keeper runs is what the next request sends", async () => {
    const temp = await makeTemp("tokenkeeper-azure-");
    try {
      const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: CLUSTER, subject: WORKLOAD, key: (await issuerKeys).publicKey }] });
      const time = entra.clock;
      const file = await temp.write("azure-identity-token", await serviceAccountToken(time.now()));
      const graph = createTokenKeeper({ ...graphOptions(entra.fetch, clientAssertion({ file })), [clock]: time });
      const res = await graph.fetch("/users");
      assert.is(res.status, 200, await res.text());
      // The kubelet rotates the token at 80 % of its life; the first one is still valid.
      time.advance(2_880_000);
      const rotated = await temp.write("azure-identity-token", await serviceAccountToken(time.now()));
      assert.is(rotated, file);
      time.advance(800_000); // the access token (3599 s) needs renewing
      assert.is((await graph.fetch("/users")).status, 200);
      const sent = entra.tokenRequests().map((r) => r.form.get("client_assertion"));
      assert.is(sent.length, 2);
      assert.is.not(sent[0], sent[1], "the request after the rotation sent the new token");
      assert.equal(entra.accepted.map((a) => [a.kind, a.claims.iss, a.claims.sub]), [["federated", CLUSTER, WORKLOAD], ["federated", CLUSTER, WORKLOAD]]);
      assert.equal(entra.tokenRequests().flatMap((r) => r.problems), []);
    } finally {
      await temp.remove();
    }
  });

  files("a file that holds only an expired token fails with CREDENTIAL_UNUSABLE naming the file; a missing file says it cannot be read", async () => {
    const temp = await makeTemp("tokenkeeper-azure-");
    try {
      const { keeper, clock: time, server } = harness({ clientSecret: undefined, clientAuth: clientAssertion({ file: `${temp.dir}/token` }) });
      const missing = await failure(keeper.getToken());
      assert.is(missing.code, "CREDENTIAL_UNUSABLE");
      assert.match(missing.message, /the client assertion file ".*token" cannot be read \((ENOENT|NotFound)\)/);
      const expired = await serviceAccountToken(time.now() - 7_200_000);
      await temp.write("token", `${expired}\n`);
      const error = await failure(keeper.getToken());
      assert.match(error.message, /the client assertion from the file ".*token" expired at/);
      assert.equal(leaked(error, expired), []);
      assert.is(server.tokenRequests.length, 0);
      // The kubelet writes a new one: the next call sends it, without a restart.
      await temp.write("token", await serviceAccountToken(time.now()));
      assert.ok((await keeper.getToken()).accessToken);
      assert.is(server.tokenRequests.length, 1);
    } finally {
      await temp.remove();
    }
  });

  files("a retry after the file's token expired reads the file again: a rotated token is sent, an expired one never", async () => {
    const temp = await makeTemp("tokenkeeper-azure-");
    try {
      const file = `${temp.dir}/token`;
      const { keeper, clock: time, server } = harness({
        clientSecret: undefined,
        clientAuth: clientAssertion({ file }),
        // The backoff between the attempts outlasts the token in the file.
        onEvent: (event) => void (event.type === "retry_scheduled" && time.advance(180_000)),
      });
      // Nobody rotates the file: the retry finds the token expired, and is not sent.
      await temp.write("token", await serviceAccountToken(time.now(), 120));
      server.replies.push(() => json({ error: "temporarily_unavailable" }, 503));
      const error = await failure(keeper.getToken());
      assert.is(error.code, "CREDENTIAL_UNUSABLE");
      assert.match(error.message, /expired at/);
      assert.is(server.tokenRequests.length, 1, "no retry with the expired token");
      // The kubelet rotates the file while the first attempt is out: the retry sends the new token.
      await temp.write("token", await serviceAccountToken(time.now(), 120));
      server.replies.push(async () => {
        await temp.write("token", await serviceAccountToken(time.now(), 3600));
        return json({ error: "temporarily_unavailable" }, 503);
      });
      assert.ok((await keeper.getToken()).accessToken);
      const sent = server.tokenRequests.slice(1).map((r) => form(r).get("client_assertion"));
      assert.is(sent.length, 2);
      assert.is.not(sent[0], sent[1], "the retry sent the rotated token");
    } finally {
      await temp.remove();
    }
  });
}

if (readTextFile === undefined) {
  files("where there is no file system (workerd), a file source is refused at construction, naming the way out", () => {
    assert.throws(() => clientAssertion({ file: "/var/run/secrets/azure/tokens/azure-identity-token" }), /needs a file system \(Node, Deno, Bun\); on Workers, give a function/);
  });
} else {
  files("the runtime's file reader reads a file (this test's own source)", async () => {
    const own = decodeURIComponent(new URL(import.meta.url).pathname);
    assert.match(await readTextFile!(own), /federated client assertions from a file/);
    await readTextFile!(`${own}.missing`).then(() => assert.unreachable("a missing file was read"), () => undefined);
  });
}

files.run();

