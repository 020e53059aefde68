// The credential in the shared-store key, on one real store: keepers of one client id whose
// secrets differ never share a token; keepers with the same secret share one. Runtime-neutral; run
// on the memory store (test/stores/memory.test.ts), Redis (test/node/store-redis.test.ts) and the
// Durable Object in workerd (test/stores/durable-object.suite.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ClientAuthentication, clientSecretBasic, clientSecretJwt, clientSecretPost, type SharedTokenStore } from "../../mod.ts";
import { createTestServer, failure, harness, json, SECRET, type TestServer } from "../helpers/token-server.ts";

/** Makes a store over a fresh namespace of the engine under test. */
export type MakeStore = (options: { encryptionKey?: CryptoKey }) => SharedTokenStore;

/** A test token server that answers `401 invalid_client` unless the client authenticates with `SECRET`. */
export interface StrictServer extends TestServer {
  /** Token requests answered `invalid_client`. */
  readonly rejected: string[];
}

/**
 * A token server that checks the client secret, whichever way it is sent: `client_secret` in the
 * form, HTTP Basic, or an HS256 `client_assertion` signed with it (RFC 7523).
 */
export function strictServer(): StrictServer {
  const server = createTestServer() as TestServer & { rejected: string[] };
  server.rejected = [];
  const inner = server.fetch;
  server.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== "/token") return inner(request);
    const body = await request.clone().text();
    if (await knowsSecret(request.headers, new URLSearchParams(body))) return inner(request);
    server.rejected.push(body);
    return json({ error: "invalid_client", error_description: "client authentication failed" }, 401, { "www-authenticate": 'Basic realm="token"' });
  };
  return server;
}

async function knowsSecret(headers: Headers, body: URLSearchParams): Promise<boolean> {
  if (body.has("client_secret")) return body.get("client_secret") === SECRET;
  const basic = headers.get("authorization");
  if (basic !== null) return decodeURIComponent(atob(basic.replace(/^Basic /, "")).split(":")[1] ?? "") === SECRET;
  const [header, payload, signature] = (body.get("client_assertion") ?? "").split(".");
  if (signature === undefined) return false;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${payload}`)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") === signature;
}

const methods: [string, (secret: string) => ClientAuthentication][] = [
  ["client_secret_post", clientSecretPost],
  ["client_secret_basic", clientSecretBasic],
  ["client_secret_jwt", clientSecretJwt],
];

/** Registers and runs the suite on stores made by `makeStore`. */
export function credentialContract(name: string, makeStore: MakeStore): void {
  const test = suite(`${name} store: the credential in the store key`);

  for (const encrypted of [false, true]) {
    const at = encrypted ? "an encrypted store" : "a store";
    const options = async () => (encrypted ? { encryptionKey: await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]) } : {});

    for (const [method, auth] of methods) {
      test(`a keeper with a wrong ${method} secret on ${at} gets invalid_client from the token endpoint, never the other keeper's token`, async () => {
        const store = makeStore(await options());
        const server = strictServer();
        const right = harness({ store, clientSecret: undefined, clientAuth: auth(SECRET) }, server);
        const token = await right.keeper.getToken();
        const wrong = harness({ store, clientSecret: undefined, clientAuth: auth("a-wrong-secret") }, server);
        wrong.clock.t = right.clock.t;
        const error = await failure(wrong.keeper.getToken());
        assert.is(error.code, "OAUTH_ERROR");
        assert.is((error as { error?: string }).error, "invalid_client");
        assert.is(server.rejected.length, 1, "the wrong secret went to the token endpoint");
        assert.not.ok(wrong.events.some((e) => e.type === "token_served" && e.tokenHash !== undefined && e.source === "store"), "nothing came from the store");
        assert.not.ok(JSON.stringify(wrong.events).includes(token.accessToken));
      });
    }

    test(`two keepers with the same secret on ${at} share one token: one token request`, async () => {
      const store = makeStore(await options());
      const server = strictServer();
      const first = harness({ store }, server);
      const second = harness({ store }, server);
      second.clock.t = first.clock.t;
      const token = await first.keeper.getToken();
      assert.is((await second.keeper.getToken()).accessToken, token.accessToken);
      assert.is(server.tokenRequests.length, 1);
      assert.is(server.rejected.length, 0);
    });
  }

  test.run();
}
