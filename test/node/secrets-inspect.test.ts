import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, clientSecretPost, privateKeyJwt } from "../../mod.ts";
import { harness, json, SECRET } from "../helpers/token-server.ts";

const test = suite("secrets under util.inspect");

function show(value: unknown): string {
  return [
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    inspect(value, { depth: Infinity }),
    String(value),
    JSON.stringify(value) ?? "",
  ].join("\n");
}

test("errors, their causes, tokens, keepers and client authentications never show a secret or token", async () => {
  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const h = harness();
  const token = await h.keeper.getToken();
  const shown: string[] = [show(h.keeper), show(clientSecretPost(SECRET)), show(clientSecretBasic(SECRET)), show(privateKeyJwt(privateKey))];
  const tokenText = inspect(token, { depth: Infinity, showHidden: true });
  assert.not.ok(tokenText.includes(token.accessToken), "the token's value is not shown by inspect");
  for (const reply of [
    () => json({ error: "invalid_client", error_description: SECRET }, 401, { "www-authenticate": "Basic" }),
    () => json({ access_token: "SENTINEL_AT_x", token_type: "N_A" }),
    () => json({ access_token: "SENTINEL_AT_y", token_type: "Bearer", expires_in: -1 }),
    () => new Response(`{"access_token":"SENTINEL_AT_z"`, { status: 200, headers: { "content-type": "application/json" } }),
    () => { throw new TypeError("socket hang up"); },
  ]) {
    h.server.replies.push(reply, reply, reply);
    await h.keeper.invalidate();
    shown.push(show(await h.keeper.getToken().catch((e: unknown) => e)));
  }
  const all = shown.join("\n");
  assert.not.ok(all.includes(SECRET), "no client secret");
  assert.not.ok(all.includes("SENTINEL_AT"), "no issued token");
  assert.not.ok(all.includes(token.accessToken), "no cached token");
  assert.ok(all.includes("TokenEndpointError"), "the errors were inspected");
});

test.run();
