import { Console } from "node:console";
import { Writable } from "node:stream";
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

/** What `console.table(value)` prints. */
function table(value: unknown): string {
  let out = "";
  const stream = new Writable({ write(chunk, _encoding, done) { out += String(chunk); done(); } });
  new Console({ stdout: stream, stderr: stream }).table(value);
  return out;
}

// Asked for both `customInspect: false` and `getters: true`, util.inspect calls the prototype's
// getters on purpose and shows the value: that is reading it, as `token.accessToken` is.
test("a token shows its value to no console.table, and to no inspector even without its custom hook", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const shown = [
    table(token),
    table([token, token]),
    inspect(token, { customInspect: false, showHidden: true, depth: Infinity }),
    inspect({ ...token }, { showHidden: true, getters: true }),
  ];
  assert.ok(shown[0]!.includes("Bearer"), "the table shows the token's other fields");
  for (const text of shown) assert.not.ok(text.includes(token.accessToken), text);
});

test.run();
