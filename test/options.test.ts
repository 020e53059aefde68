// createTokenKeeper()'s options: every option validated and defaulted at construction, loudly, naming the
// option. That refusals happen before anything is sent is graded by AUTH-09 (no client
// authentication), GRANT-03 (bad resource indicators) and SEC-01 (plain http).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, createTokenKeeper, discover, type TokenKeeperOptions } from "../mod.ts";
import { createTestServer, harness, SECRET } from "./helpers/token-server.ts";

const test = suite("options");
const base = { tokenEndpoint: "https://as.test/token", clientId: "c", clientSecret: SECRET } as const;

function throwsWith(options: unknown, kind: typeof TypeError | typeof RangeError, pattern: RegExp): void {
  try {
    createTokenKeeper(options as TokenKeeperOptions);
  } catch (error) {
    assert.instance(error, kind);
    assert.match((error as Error).message, pattern);
    assert.not.match((error as Error).message, SECRET);
    return;
  }
  assert.unreachable(`accepted ${pattern}`);
}

test("a configuration without client authentication is refused, naming clientSecret and clientAuth", () => {
  throwsWith({ tokenEndpoint: "https://as.test/token", clientId: "c" }, TypeError, /clientSecret or clientAuth/);
});

test("a store that did not come through sharedStore() or an adapter is refused, naming the fix", () => {
  const store = { get: async () => undefined, set: async () => {}, delete: async () => {} };
  throwsWith({ ...base, store }, TypeError, /store: must be a store adapter \(tokenkeeper\/stores\/\*\) or sharedStore\(yourStore\)/);
});

test("unknown option names are refused with a did-you-mean, nested retry keys too", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ scopes: "read" }, /unknown option "scopes" \(did you mean scope\?\)/],
    [{ timeout: 5000 }, /unknown option "timeout" \(did you mean timeoutMs\?\)/],
    [{ baseURL: "https://rs.test" }, /unknown option "baseURL" \(did you mean baseUrl\?\)/],
    [{ tokenUrl: "https://as.test/token" }, /unknown option "tokenUrl" \(did you mean tokenEndpoint\?\)/],
    [{ issuer: "https://as.test" }, /unknown option "issuer" \(did you mean tokenEndpoint: discover\("https:\/\/issuer"\)\?\)/],
    [{ storeEncryptionKey: {} }, /did you mean store: sharedStore\(store, \{ encryptionKey \}\)/],
    [{ retry: { attempts: 2 } }, /retry: unknown option "attempts" \(did you mean maxAttempts\?\)/],
    [{ retry: { maxAtempts: 2 } }, /retry: unknown option "maxAtempts" \(did you mean maxAttempts\?\)/],
    [{ zzzzzz: 1 }, /unknown option "zzzzzz"$/],
  ];
  for (const [extra, pattern] of cases) throwsWith({ ...base, ...extra }, TypeError, pattern);
});

test("a discovered token endpoint's issuer must be https too", () => {
  throwsWith({ ...base, tokenEndpoint: discover("http://as.test") }, TypeError, /tokenEndpoint: discover\(\): must use https/);
  assert.throws(() => discover("not a url"), /discover: the issuer must be an absolute URL/);
});

test("dangerouslyAllowHttp lets plain http reach exactly the named development hosts", () => {
  assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: "http://keycloak:8080/realms/dev/token", dangerouslyAllowHttp: ["keycloak:8080"] }));
  throwsWith({ ...base, tokenEndpoint: "http://keycloak:8081/token", dangerouslyAllowHttp: ["keycloak:8080"] }, TypeError, /must use https/);
  throwsWith({ ...base, tokenEndpoint: "http://keycloak:8080/token" }, TypeError, /dangerouslyAllowHttp: \["keycloak:8080"\] allows it/);
  throwsWith({ ...base, dangerouslyAllowHttp: ["http://keycloak"] }, TypeError, /dangerouslyAllowHttp: must be a list of "host" or "host:port" names/);
});

test("clientSecret and clientAuth together are refused", () => {
  throwsWith({ ...base, clientAuth: clientSecretBasic("x") }, TypeError, /not both/);
});

test("a missing or malformed token endpoint is refused", () => {
  throwsWith({ clientId: "c", clientSecret: "s" }, TypeError, /tokenEndpoint: must be an absolute URL, got undefined/);
  throwsWith({ ...base, tokenEndpoint: "/token" }, TypeError, /tokenEndpoint: must be an absolute URL, got "\/token"/);
});

test("an http token endpoint is refused, naming the option and the URL", () => {
  throwsWith({ ...base, tokenEndpoint: "http://as.test/token" }, TypeError, /tokenEndpoint: must use https, got "http:\/\/as.test\/token"/);
});

test("plain http on loopback is allowed by default for the token endpoint, discovery, baseUrl and allowedOrigins", () => {
  for (const origin of ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://localhost"]) {
    assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: `${origin}/token`, baseUrl: origin, allowedOrigins: [origin] }), origin);
    assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: discover(origin) }), origin);
  }
});

test("a keeper on loopback http discovers its token endpoint, gets a token and calls its API with no option", async () => {
  const server = createTestServer({ issuer: "http://127.0.0.1:8080", resourceOrigins: ["http://localhost:8080", "http://[::1]:8080"] });
  const { keeper } = harness({ tokenEndpoint: discover("http://127.0.0.1:8080"), baseUrl: "http://localhost:8080", allowedOrigins: ["http://[::1]:8080"] }, server);
  assert.is((await keeper.fetch("/api/x")).status, 200);
  assert.is((await keeper.fetch("http://[::1]:8080/api/y")).status, 200);
  assert.equal(server.tokenRequests.map((r) => r.url), ["http://127.0.0.1:8080/token"]);
  assert.equal(server.resourceRequests.map((r) => [r.url, r.headers.get("authorization")]), [
    ["http://localhost:8080/api/x", `Bearer ${server.issued[0]}`],
    ["http://[::1]:8080/api/y", `Bearer ${server.issued[0]}`],
  ]);
});

test("plain http elsewhere is refused for every URL option, with a hint naming dangerouslyAllowHttp", () => {
  throwsWith({ ...base, tokenEndpoint: discover("http://as.test") }, TypeError, /tokenEndpoint: discover\(\): must use https, got "http:\/\/as.test\/" \(dangerouslyAllowHttp: \["as.test"\]/);
  throwsWith({ ...base, baseUrl: "http://rs.test" }, TypeError, /baseUrl: must use https, got "http:\/\/rs.test\/" \(dangerouslyAllowHttp: \["rs.test"\]/);
  throwsWith({ ...base, allowedOrigins: ["http://rs.test:8080"] }, TypeError, /allowedOrigins\[0\]: must use https.*\["rs.test:8080"\]/);
  assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: "http://keycloak:8080/token", dangerouslyAllowHttp: ["keycloak:8080"] }));
});

test("loopback means localhost and literal loopback addresses, never *.localhost names", () => {
  for (const host of ["127.0.0.1", "127.8.9.10", "[::1]", "[::ffff:127.0.0.1]", "localhost"]) {
    assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: `http://${host}:8080/token` }), host);
  }
  for (const host of ["api.localhost", "localhost.evil.test", "127.0.0.1.nip.io", "[::2]", "0.0.0.0"]) {
    throwsWith({ ...base, tokenEndpoint: `http://${host}/token` }, TypeError, /must use https/);
  }
});

test("allowInsecureRequests is gone: loopback http needs no option, other hosts dangerouslyAllowHttp", async () => {
  assert.not.ok("allowInsecureRequests" in (await import("../mod.ts")));
  assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: "http://127.0.0.1:8080/token" }));
  assert.not.throws(() => createTokenKeeper({ ...base, tokenEndpoint: "http://as.test/token", dangerouslyAllowHttp: ["as.test"] }));
});

test("a baseUrl with a query is refused: each call gives its own", () => {
  throwsWith({ ...base, baseUrl: "https://rs.test/v2?api-version=3" }, TypeError, /baseUrl: must be a URL without query, got "https:\/\/rs.test\/v2\?api-version=3"/);
});

test("a token endpoint with a fragment or user info is refused", () => {
  throwsWith({ ...base, tokenEndpoint: "https://as.test/token#x" }, TypeError, /without fragment/);
  throwsWith({ ...base, tokenEndpoint: "https://u:p@as.test/token" }, TypeError, /credentials/);
});

test("token parameters can never override grant_type, client authentication, scope or resource", () => {
  for (const name of ["grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "Scope", "resource"]) {
    throwsWith({ ...base, tokenParameters: { [name]: "x" } }, TypeError, new RegExp(`"${name}" is set by tokenkeeper`));
  }
});

test("a scope with characters outside NQCHAR is refused", () => {
  throwsWith({ ...base, scope: ['a"b'] }, TypeError, /scope: must be scope tokens/);
  throwsWith({ ...base, scope: 42 }, TypeError, /string or a list/);
});

test("a relative resource or one with a fragment is refused, naming the option (RFC 8707 §2)", () => {
  throwsWith({ ...base, resource: "/api" }, TypeError, /resource: must be absolute URIs without fragment/);
  throwsWith({ ...base, resource: ["https://rs.test/#frag"] }, TypeError, /resource: must be absolute URIs without fragment/);
});

test("durations must be finite and non-negative, named with their unit", () => {
  throwsWith({ ...base, timeoutMs: 0 }, RangeError, /timeoutMs: must be a finite number of milliseconds >= 1, got 0/);
  throwsWith({ ...base, refreshWindowMs: -1 }, RangeError, /refreshWindowMs/);
  throwsWith({ ...base, maxLifetimeMs: Infinity }, RangeError, /maxLifetimeMs/);
  throwsWith({ ...base, retry: { maxAttempts: 0 } }, RangeError, /retry.maxAttempts/);
});

test("allowedOrigins must be https", () => {
  throwsWith({ ...base, allowedOrigins: ["http://rs.test"] }, TypeError, /allowedOrigins\[0\]: must use https/);
});

test("createTokenKeeper never mutates the caller's options", () => {
  const options = { ...base, scope: ["b", "a"], retry: { maxAttempts: 2 } };
  const copy = structuredClone(options);
  createTokenKeeper(options);
  assert.equal(options, copy);
});

test("an empty client secret is refused without echoing it", () => {
  throwsWith({ ...base, clientSecret: "" }, TypeError, /clientSecret: must be a non-empty string/);
});

test("creating a keeper where window and document exist throws unless dangerouslyAllowBrowser", () => {
  const scope = globalThis as { window?: unknown; document?: unknown };
  const had = { window: scope.window, document: scope.document };
  try {
    scope.window = {};
    scope.document = {};
    throwsWith(base, TypeError, /refusing to run in a browser/);
    createTokenKeeper({ ...base, dangerouslyAllowBrowser: true });
  } finally {
    if (had.window === undefined) delete scope.window; else scope.window = had.window;
    if (had.document === undefined) delete scope.document; else scope.document = had.document;
  }
});

test.run();
