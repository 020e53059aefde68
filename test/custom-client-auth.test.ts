// src/custom-client-auth.ts: any oauth4webapi ClientAuth, and the guards around it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as oauth from "oauth4webapi";
import { customClientAuth } from "../mod.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { failure, harness, SECRET } from "./helpers/token-server.ts";

const test = suite("custom client authentication");


test("any oauth4webapi ClientAuth can be used through customClientAuth", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: customClientAuth("client_secret_basic", oauth.ClientSecretBasic("7Fjfp0ZBr1KtDRbnfVdmIw")) });
  await keeper.getToken();
  assert.is(server.tokenRequests[0]!.headers.get("authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
});

test("oauth4webapi None() wrapped as custom auth named none is refused", () => {
  assert.throws(() => customClientAuth("none", oauth.None()), /"none" is not client authentication/);
});

test("oauth4webapi None() wrapped under another method name is refused", () => {
  assert.throws(() => customClientAuth("private_key_jwt", oauth.None()), /None\(\) sends no client credential/);
  assert.not.throws(() => customClientAuth("tls_client_auth", oauth.TlsClientAuth()), "mTLS authenticates with the certificate");
});

test("a custom client authentication that throws is CREDENTIAL_UNUSABLE, and its message is not shown", async () => {
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

test("a custom client authentication that adds no credential never sends the request", async () => {
  const { keeper, server } = harness({
    clientSecret: undefined,
    clientAuth: customClientAuth("private_key_jwt", (_as, client, body) => void body.set("client_id", client.client_id)),
  });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /added no client credential/);
  assert.is(server.tokenRequests.length, 0);
});

test("a keeper with a shared store refuses customClientAuth without a credentialId, naming the fix; without a store it works", async () => {
  const clientAuth = customClientAuth("client_secret_basic", oauth.ClientSecretBasic(SECRET));
  assert.throws(
    () => harness({ store: memoryStore(), clientSecret: undefined, clientAuth }),
    (error: unknown) => error instanceof TypeError && /customClientAuth\(method, auth, \{ credentialId \}\)/.test(error.message) && !error.message.includes(SECRET),
  );
  assert.ok((await harness({ clientSecret: undefined, clientAuth }).keeper.getToken()).accessToken);
});

test("customClientAuth keepers share a token through a store only when their credentialIds are equal", async () => {
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

test("customClientAuth refuses a credentialId that is not a non-empty string", () => {
  for (const credentialId of ["", 7, null]) {
    assert.throws(() => customClientAuth("tls_client_auth", oauth.TlsClientAuth(), { credentialId: credentialId as string }), /credentialId must be a non-empty string/);
  }
});

test.run();
