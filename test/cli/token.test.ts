// `tokenkeeper token`, end to end: the installed bin under plain Node, against the fake
// authorization server over HTTPS with a throwaway CA.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { oauthError } from "../../conformance/fake/server.ts";
import { CLIENT_ID, type RunningServer, SECRET, startServer, testCa } from "./authorization-server.ts";
import { root } from "../package/pack.ts";
import { installedProject } from "./installed.ts";
import { assertTerminalSafe, hostile } from "./hostile-text.ts";
import { assertNoLeak } from "./leaks.ts";

const test = suite("tokenkeeper token");
let server: RunningServer;

/**
 * The variables a user sets, the CA of the test server trusted the way a user would, and an empty
 * cache folder for each run (token-cache.test.ts tests the cache between runs).
 */
function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const cache = mkdtempSync(join(tmpdir(), "tokenkeeper-token-test-cache-"));
  process.once("exit", () => rmSync(cache, { recursive: true, force: true }));
  return { NODE_EXTRA_CA_CERTS: testCa().caFile, XDG_CACHE_HOME: cache, TOKENKEEPER_TOKEN_ENDPOINT: server.tokenEndpoint, TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: SECRET, ...extra };
}

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  await server.close();
});

test("prints the access token alone on stdout, configured by TOKENKEEPER_* variables (client_secret_post)", async () => {
  const project = await installedProject();
  const ran = await project.tokenkeeper(["token"], { env: env() });
  assert.is(ran.stderr, "");
  assert.is(ran.code, 0);
  const issued = server.fake.issued.at(-1)!.value;
  assert.is(ran.stdout, `${issued}\n`);
  const request = server.fake.tokenRequests().at(-1)!;
  assert.is(request.form.get("client_secret"), SECRET);
  assert.is(request.form.get("client_id"), CLIENT_ID);
});

test("--json prints the token type, expiry, scope and token; --scope, --resource, --param and --auth reach the request", async () => {
  const project = await installedProject();
  const ran = await project.tokenkeeper(
    ["token", "--json", "--scope", "read write", "--scope", "admin", "--resource", "https://api.test/a", "--resource", "https://api.test/b", "--param", "audience=payments", "--auth", "client_secret_basic"],
    { env: env() },
  );
  assert.is(ran.code, 0, ran.stderr);
  const printed = JSON.parse(ran.stdout) as Record<string, unknown>;
  assert.equal(Object.keys(printed).sort(), ["access_token", "expires_at", "expires_in", "scope", "token_type"]);
  assert.is(printed["access_token"], server.fake.issued.at(-1)!.value);
  assert.is(printed["token_type"], "Bearer");
  assert.is(printed["scope"], "read write admin");
  assert.ok(typeof printed["expires_in"] === "number" && printed["expires_in"] > 200 && printed["expires_in"] <= 300, "expires_in counts down from 300");
  assert.ok(Math.abs(Date.parse(String(printed["expires_at"])) - Date.now() - 300_000) < 100_000, "expires_at is an ISO date 5 min away");
  const request = server.fake.tokenRequests().at(-1)!;
  assert.ok(request.basic?.ok && request.basic.clientId === CLIENT_ID && request.basic.clientSecret === SECRET, "client_secret_basic carries the id and secret");
  assert.is(request.form.get("client_secret"), undefined);
  assert.is(request.form.get("scope"), "read write admin");
  assert.equal(request.form.all("resource"), ["https://api.test/a", "https://api.test/b"]);
  assert.is(request.form.get("audience"), "payments");
});

test("reads the secret from a file or stdin, and refuses it on the command line without repeating it", async () => {
  const project = await installedProject();
  project.write("secret.txt", `${SECRET}\n`);
  const fromFile = await project.tokenkeeper(["token", "--client-secret-file", "secret.txt"], { env: env({ TOKENKEEPER_CLIENT_SECRET: undefined }) });
  assert.is(fromFile.code, 0, fromFile.stderr);
  assert.is(fromFile.stdout, `${server.fake.issued.at(-1)!.value}\n`);
  const fromStdin = await project.tokenkeeper(["token", "--client-secret-stdin"], { env: env({ TOKENKEEPER_CLIENT_SECRET: undefined }), stdin: `${SECRET}\n` });
  assert.is(fromStdin.code, 0, fromStdin.stderr);
  assert.is(server.fake.tokenRequests().at(-1)!.form.get("client_secret"), SECRET);
  const requests = server.fake.tokenRequests().length;
  for (const argv of [["--client-secret", SECRET], [`--client-secret=${SECRET}`], ["--secret", SECRET], [SECRET]]) {
    const refused = await project.tokenkeeper(["token", ...argv], { env: env({ TOKENKEEPER_CLIENT_SECRET: undefined }) });
    assert.is(refused.code, 2, `exit code for ${argv[0]!.slice(0, 16)}`);
    assert.is(refused.stdout, "");
    assertNoLeak(refused, { secrets: [SECRET], clientId: CLIENT_ID });
  }
  const hint = await project.tokenkeeper(["token", "--client-secret", SECRET], { env: env() });
  assert.match(hint.stderr, "never read from the command line");
  assert.is(server.fake.tokenRequests().length, requests, "nothing was sent");
});

test("exits 3 with the OAuth error on stderr for a refused secret, and never prints it, even when the server echoes it", async () => {
  const echoing = await startServer({
    token: (req) => oauthError(401, "invalid_client", `no client with secret ${req.form.get("client_secret")} (${req.text})`),
  });
  try {
    const project = await installedProject();
    const wrong = "WRONG_SENTINEL_secret+/%&=ü";
    const ran = await project.tokenkeeper(["token"], { env: env({ TOKENKEEPER_TOKEN_ENDPOINT: echoing.tokenEndpoint, TOKENKEEPER_CLIENT_SECRET: wrong }) });
    assert.is(ran.code, 3);
    assert.is(ran.stdout, "");
    assert.match(ran.stderr, /^tokenkeeper token: .*invalid_client/);
    assertNoLeak(ran, { secrets: [wrong], clientId: CLIENT_ID });
  } finally {
    await echoing.close();
  }
});

test("the installed bin prints an OAuth error description that holds escape sequences and a bidi override neutralised: the library turns controls into spaces, the command escapes what is left", async () => {
  const hostileServer = await startServer({ token: () => oauthError(400, "invalid_scope", hostile("description")) });
  try {
    const project = await installedProject();
    const ran = await project.tokenkeeper(["token"], { env: env({ TOKENKEEPER_TOKEN_ENDPOINT: hostileServer.tokenEndpoint }) });
    assert.is(ran.code, 3, ran.stderr);
    // The library turns controls and bidi characters of an error_description into spaces (its
    // excerpts do), so the command shows the visible rest, never the characters.
    assertTerminalSafe(ran, [], ["description"]);
  } finally {
    await hostileServer.close();
  }
});

test("exits 4 when an HTML page answers 404, 9 when the server's CA is not trusted, 2 when a variable is missing", async () => {
  const html = await startServer({ token: () => ({ status: 404, headers: { "content-type": "text/html" }, body: "<html><h1>Not Found</h1></html>" }) });
  try {
    const project = await installedProject();
    const notFound = await project.tokenkeeper(["token"], { env: env({ TOKENKEEPER_TOKEN_ENDPOINT: html.tokenEndpoint }) });
    assert.is(notFound.code, 4);
    assert.match(notFound.stderr, "404");
    assertNoLeak(notFound, { secrets: [SECRET], clientId: CLIENT_ID });
  } finally {
    await html.close();
  }
  const project = await installedProject();
  const untrusted = await project.tokenkeeper(["token"], { env: env({ NODE_EXTRA_CA_CERTS: undefined }) });
  assert.is(untrusted.code, 9);
  assert.is(untrusted.stdout, "");
  assertNoLeak(untrusted, { secrets: [SECRET], clientId: CLIENT_ID });
  const missing = await project.tokenkeeper(["token"], { env: env({ TOKENKEEPER_CLIENT_ID: undefined }) });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, "TOKENKEEPER_CLIENT_ID");
  assertNoLeak(missing, { secrets: [SECRET] });
});

test("signs a private_key_jwt assertion with a PEM key file, the endpoint discovered from TOKENKEEPER_ISSUER", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const verifier = await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
  const keyServer = await startServer({ client: { id: CLIENT_ID, methods: ["private_key_jwt"], publicKey: verifier, alg: "ES256" } });
  try {
    const project = await installedProject();
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    project.write("client-key.pem", pem);
    const ran = await project.tokenkeeper(["token", "--key-id", "key-1"], {
      env: env({ TOKENKEEPER_TOKEN_ENDPOINT: undefined, TOKENKEEPER_ISSUER: keyServer.url, TOKENKEEPER_CLIENT_SECRET: undefined, TOKENKEEPER_PRIVATE_KEY_FILE: join(project.dir, "client-key.pem") }),
    });
    assert.is(ran.code, 0, ran.stderr);
    assert.is(ran.stdout, `${keyServer.fake.issued.at(-1)!.value}\n`);
    const request = keyServer.fake.tokenRequests().at(-1)!;
    assert.equal(request.problems, [], "the assertion verifies");
    assert.ok(keyServer.fake.requests.some((r) => r.kind === "metadata"), "the endpoint was discovered");
    assertNoLeak(ran, { secrets: [pem.split("\n").slice(1, -2).join("")], streams: ["stderr"] });
  } finally {
    await keyServer.close();
  }
});

test("runs under Bun (bunx --bun tokenkeeper) and Deno (deno run -A npm:tokenkeeper) from the installed package", async () => {
  const project = await installedProject();
  const bun = await project.run(join(root, "node_modules", ".bin", "bun"), ["x", "--bun", "tokenkeeper", "token"], { env: env() });
  assert.is(bun.code, 0, bun.stderr);
  assert.is(bun.stdout, `${server.fake.issued.at(-1)!.value}\n`);
  const deno = await project.run(join(root, "node_modules", ".bin", "deno"), ["run", "-A", "npm:tokenkeeper", "token"], { env: env({ DENO_NO_UPDATE_CHECK: "1" }) });
  assert.is(deno.code, 0, deno.stderr);
  assert.is(deno.stdout, `${server.fake.issued.at(-1)!.value}\n`);
  const refused = await project.run(join(root, "node_modules", ".bin", "deno"), ["run", "-A", "npm:tokenkeeper", "token"], { env: env({ DENO_NO_UPDATE_CHECK: "1", TOKENKEEPER_CLIENT_SECRET: "WRONG_SENTINEL_deno+/" }) });
  assert.is(refused.code, 3);
  assertNoLeak(refused, { secrets: ["WRONG_SENTINEL_deno+/"], clientId: CLIENT_ID });
});

test("--help describes the configuration and exits 0", async () => {
  const project = await installedProject();
  const ran = await project.tokenkeeper(["token", "--help"]);
  assert.is(ran.code, 0);
  for (const word of ["TOKENKEEPER_TOKEN_ENDPOINT", "TOKENKEEPER_CLIENT_SECRET", "--client-secret-stdin", "--json", "--auth"]) assert.match(ran.stdout, word);
});

test.run();
