// tokenkeeper against @node-oauth/oauth2-server, over http on loopback. Besides the shared cases,
// two tests pin down why the others are left out, so docs/interop.md stays true on an upgrade.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ClientAuthentication, clientSecretBasic, clientSecretJwt, createTokenKeeper, privateKeyJwt } from "../../mod.ts";
import { registerCases } from "./cases.ts";
import { createFixture } from "./fixture.ts";
import { keeperOptions } from "./keeper-options.ts";
import { lazyServer } from "./server.ts";
import { type OAuth2ServerUnderTest, startOAuth2Server } from "./servers/oauth2-server.ts";

const fixture = await createFixture();
let started: OAuth2ServerUnderTest | undefined;
const server = lazyServer(async () => (started = await startOAuth2Server(fixture)));
const test = suite("@node-oauth/oauth2-server");
test.after(() => server.stop());

registerCases(test, server, fixture, ["basicSpecial", "privateKeyJwt", "clientSecretJwt"]);

/** The OAuth error a token request with `clientAuth` ends in (`error: description`), or `undefined` when it gets a token. */
async function refusal(clientId: string, clientAuth: ClientAuthentication): Promise<string | undefined> {
  const running = await server.get();
  const keeper = createTokenKeeper(keeperOptions(running, { clientId, clientAuth }, running.fetch));
  try {
    return await keeper.getToken().then(
      () => undefined,
      (error: { error?: string; error_description?: string }) => (error.error ? `${error.error}: ${error.error_description}` : String(error)),
    );
  } finally {
    await keeper.close();
  }
}

test("client_secret_basic with ':', '+', '%' or ' ' is refused: the server does not percent-decode Basic credentials", async () => {
  const { basicSpecial } = fixture;
  assert.is(await refusal(basicSpecial.clientId, clientSecretBasic(basicSpecial.secret)), "invalid_client: Invalid client: client is invalid");
  assert.ok(started!.clientIdsSeen.includes(encodeURIComponent(basicSpecial.clientId)), `the model was asked for ${JSON.stringify(started!.clientIdsSeen.at(-1))}`);
});

test("private_key_jwt and client_secret_jwt are refused: the server has no JWT client authentication", async () => {
  const { keyJwt, secretJwt } = fixture;
  // Both clients are registered in the model; the server never asks for them.
  const unread = "invalid_client: Invalid client: cannot retrieve client credentials";
  assert.is(await refusal(keyJwt.clientId, privateKeyJwt({ key: keyJwt.privateKey, kid: keyJwt.publicJwk.kid })), unread);
  assert.is(await refusal(secretJwt.clientId, clientSecretJwt(secretJwt.secret)), unread);
  assert.not.ok(started!.clientIdsSeen.includes(keyJwt.clientId) || started!.clientIdsSeen.includes(secretJwt.clientId));
});

test.run();
