// `tokenkeeper token`'s cache between runs: the installed bin, run again and again against the
// fake authorization server over HTTPS, with a cache folder of its own per test.
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { oauthError } from "../../conformance/fake/server.ts";
import { root, type Ran } from "../package/pack.ts";
import { CLIENT_ID, type RunningServer, SECRET, startServer, testCa } from "./authorization-server.ts";
import { runInProcess } from "./in-process.ts";
import { installedProject } from "./installed.ts";
import { assertNoLeak, secretSpellings } from "./leaks.ts";

const test = suite("tokenkeeper token: the cache between runs");
let server: RunningServer;
const homes: string[] = [];

/** A fresh XDG_CACHE_HOME; the cache is its `tokenkeeper` folder. */
function cacheHome(): string {
  const home = mkdtempSync(join(tmpdir(), "tokenkeeper-cache-home-"));
  homes.push(home);
  return home;
}

function env(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { NODE_EXTRA_CA_CERTS: testCa().caFile, XDG_CACHE_HOME: home, TOKENKEEPER_TOKEN_ENDPOINT: server.tokenEndpoint, TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: SECRET, ...extra };
}

async function token(home: string, args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<Ran> {
  const project = await installedProject();
  return project.tokenkeeper(["token", ...args], { env: env(home, extra) });
}

const requests = (): number => server.fake.tokenRequests().length;
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Runs the bin with Date.now() moved `ms` ahead, as if that much time had passed since the last run. */
async function later(home: string, ms: number): Promise<Ran> {
  const project = await installedProject();
  const clock = join(project.dir, `clock-${ms}.mjs`);
  writeFileSync(clock, `const now = Date.now; Date.now = () => now() + ${ms};\n`);
  return project.tokenkeeper(["token"], { env: env(home, { NODE_OPTIONS: `--import=${clock}` }) });
}

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  await server.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

test("two runs in a row make one token request and print the same token; --no-cache makes one each time", async () => {
  const home = cacheHome();
  const before = requests();
  const first = await token(home);
  assert.is(first.code, 0, first.stderr);
  assert.is(first.stderr, "");
  assert.is(requests() - before, 1);
  const second = await token(home);
  assert.is(second.code, 0, second.stderr);
  assert.is(second.stdout, first.stdout, "the second run prints the cached token");
  assert.is(requests() - before, 1, "the second run sent no token request");
  const uncached = await token(home, ["--no-cache"]);
  const again = await token(home, ["--no-cache"]);
  assert.is(requests() - before, 3, "--no-cache requests a token on every run");
  assert.is.not(uncached.stdout, first.stdout);
  assert.is.not(again.stdout, uncached.stdout);
  assert.is((await token(home)).stdout, first.stdout, "--no-cache neither read nor replaced the cached token");
  assert.is(requests() - before, 3);
});

test("a wrong secret never gets the cached token: it asks the server and gets invalid_client (exit 3)", async () => {
  const home = cacheHome();
  const right = await token(home);
  assert.is(right.code, 0, right.stderr);
  const before = requests();
  const wrong = "WRONG_SENTINEL_cache+/";
  const ran = await token(home, [], { TOKENKEEPER_CLIENT_SECRET: wrong });
  assert.is(ran.code, 3, ran.stderr);
  assert.is(ran.stdout, "");
  assert.match(ran.stderr, "invalid_client");
  assert.is(requests() - before, 1, "the wrong secret went to the server");
  assertNoLeak(ran, { secrets: [wrong], tokens: [right.stdout.trim()], clientId: CLIENT_ID });
  assert.is((await token(home)).stdout, right.stdout, "the right secret still gets its cached token");
  assert.is(requests() - before, 1);
});

test("another scope, client id or endpoint gets a token of its own", async () => {
  const home = cacheHome();
  const first = await token(home);
  const before = requests();
  const scoped = await token(home, ["--scope", "admin"]);
  assert.is(scoped.code, 0, scoped.stderr);
  assert.is(requests() - before, 1);
  assert.is.not(scoped.stdout, first.stdout);
  const other = await startServer();
  try {
    const elsewhere = await token(home, [], { TOKENKEEPER_TOKEN_ENDPOINT: other.tokenEndpoint });
    assert.is(elsewhere.code, 0, elsewhere.stderr);
    assert.is(elsewhere.stdout, `${other.fake.issued.at(-1)!.value}\n`, "the other endpoint issued the token printed");
  } finally {
    await other.close();
  }
  assert.is((await token(home, ["--scope", "admin"])).stdout, scoped.stdout);
  assert.is((await token(home)).stdout, first.stdout);
  assert.is(requests() - before, 1);
});

test("a token near expiry is not printed from the cache: a new one is requested, then cached", async () => {
  const home = cacheHome();
  const before = requests();
  const first = await token(home); // a 300 s token: its refresh window is its last 75 to 94 s
  assert.is(first.code, 0, first.stderr);
  const soon = await later(home, 100_000);
  assert.is(soon.code, 0, soon.stderr);
  assert.is(soon.stdout, first.stdout, "100 s later the token is still fresh");
  assert.is(requests() - before, 1);
  const nearExpiry = await later(home, 250_000);
  assert.is(nearExpiry.code, 0, nearExpiry.stderr);
  assert.is(requests() - before, 2, "250 s later (50 s left) a new token is requested");
  assert.is(nearExpiry.stdout, `${server.fake.issued.at(-1)!.value}\n`);
  assert.is.not(nearExpiry.stdout, first.stdout);
  // The second token was issued at +250 s by the moved clock: it expires at +550 s.
  assert.is((await later(home, 400_000)).stdout, nearExpiry.stdout, "the new token was cached");
  assert.is(requests() - before, 2);
  const expired = await later(home, 600_000);
  assert.is(requests() - before, 3, "an expired token is never printed");
  assert.is.not(expired.stdout, nearExpiry.stdout);
});

test("the folder is made 0700 and the file 0600; looser modes are repaired with a warning", async () => {
  const home = cacheHome();
  const ran = await token(home);
  assert.is(ran.code, 0, ran.stderr);
  const dir = join(home, "tokenkeeper");
  assert.is(mode(dir), "700");
  assert.is(mode(join(dir, "tokens.json")), "600");
  chmodSync(dir, 0o755);
  chmodSync(join(dir, "tokens.json"), 0o644);
  const before = requests();
  const repaired = await token(home);
  assert.is(repaired.code, 0, repaired.stderr);
  assert.is(repaired.stdout, ran.stdout);
  assert.is(requests(), before);
  assert.match(repaired.stderr, `tokenkeeper token: warning: the token cache folder ${dir} was open to its group and others (mode 0755): changed to 0700\n`);
  assert.match(repaired.stderr, `tokenkeeper token: warning: the token cache file ${join(dir, "tokens.json")} was open to its group and others (mode 0644): changed to 0600\n`);
  assert.is(mode(dir), "700");
  assert.is(mode(join(dir, "tokens.json")), "600");
  assert.is((await token(home)).stderr, "", "no warning once repaired");
});

test("the cache holds no client id, secret, endpoint or token in the clear, and its file names are hashes", async () => {
  const home = cacheHome();
  const printed = [(await token(home)).stdout.trim(), (await token(home, ["--scope", "read write", "--auth", "client_secret_basic"])).stdout.trim()];
  const dir = join(home, "tokenkeeper");
  assert.equal(readdirSync(dir), ["tokens.json"], "no lock or temporary file is left behind");
  const text = readFileSync(join(dir, "tokens.json"), "utf8");
  const file = JSON.parse(text) as { v: number; entries: Record<string, { value: string; expiresAt: number }> };
  assert.is(Object.keys(file.entries).length, 2);
  for (const [key, entry] of Object.entries(file.entries)) {
    assert.match(key, /^tokenkeeper:[0-9a-f]{64}$/);
    assert.match(entry.value, /^tk1\./, "sealed");
  }
  const port = new URL(server.tokenEndpoint).port;
  for (const clear of [CLIENT_ID, "localhost", port, "read", ...secretSpellings(SECRET, CLIENT_ID), ...printed.flatMap((t) => secretSpellings(t))]) {
    assert.not.ok(text.includes(clear), `the cache file holds ${JSON.stringify(clear.slice(0, 12))}`);
  }
});

test("a corrupt, oversized or foreign cache file is ignored with a warning and replaced", async () => {
  for (const [what, write] of [
    ["not JSON", (file: string) => writeFileSync(file, "{ not json", { mode: 0o600 })],
    ["not a token cache", (file: string) => writeFileSync(file, JSON.stringify({ v: 1, entries: null }), { mode: 0o600 })],
    ["is larger than", (file: string) => writeFileSync(file, " ".repeat(1024 * 1024 + 1), { mode: 0o600 })],
    ["is not a regular file", (file: string) => mkdirSync(file)],
  ] as const) {
    const home = cacheHome();
    const dir = join(home, "tokenkeeper");
    mkdirSync(dir, { mode: 0o700 });
    write(join(dir, "tokens.json"));
    const before = requests();
    const ran = await token(home);
    if (what === "is not a regular file") {
      // A folder in its place cannot be replaced by a rename: the run goes on without the cache.
      assert.is(ran.code, 0, ran.stderr);
      assert.match(ran.stderr, "is not a regular file: it is ignored");
      assert.match(ran.stderr, "the token cache failed (set:");
      continue;
    }
    assert.is(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, new RegExp(`warning: the token cache file .*tokens\\.json ${what === "is larger than" ? "is larger than" : `is ${what}`}.*ignored and will be replaced`));
    assert.is(ran.stderr.split("\n").filter(Boolean).length, 1, `one warning: ${ran.stderr}`);
    const next = await token(home);
    assert.is(next.stderr, "", `${what}: replaced by a good file`);
    assert.is(next.stdout, ran.stdout);
    assert.is(requests() - before, 1, what);
  }
});

test("three runs at once make one token request (a lock file in the cache folder)", async () => {
  const home = cacheHome();
  const before = requests();
  const runs = await Promise.all([token(home), token(home), token(home)]);
  for (const ran of runs) assert.is(ran.code, 0, ran.stderr);
  assert.is(requests() - before, 1);
  assert.is(new Set(runs.map((ran) => ran.stdout)).size, 1);
  assert.equal(readdirSync(join(home, "tokenkeeper")), ["tokens.json"]);
});

test("private_key_jwt: the second run takes the token from the cache; another key does not", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const verifier = await crypto.subtle.importKey("jwk", publicKey.export({ format: "jwk" }), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
  const jwtServer = await startServer({ client: { id: CLIENT_ID, methods: ["private_key_jwt"], publicKey: verifier, alg: "ES256" } });
  try {
    const project = await installedProject();
    const home = cacheHome();
    project.write("cache-key.pem", privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    project.write("other-key.pem", generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    const run = (file: string) => token(home, [], { TOKENKEEPER_TOKEN_ENDPOINT: jwtServer.tokenEndpoint, TOKENKEEPER_CLIENT_SECRET: undefined, TOKENKEEPER_PRIVATE_KEY_FILE: join(project.dir, file) });
    const first = await run("cache-key.pem");
    assert.is(first.code, 0, first.stderr);
    assert.is((await run("cache-key.pem")).stdout, first.stdout);
    assert.is(jwtServer.fake.tokenRequests().length, 1);
    const other = await run("other-key.pem");
    assert.is(other.code, 3, other.stderr);
    assert.is(jwtServer.fake.tokenRequests().length, 2, "the other key asked the server, and was refused");
  } finally {
    await jwtServer.close();
  }
});

test("Node, Bun and Deno share one cache file", async () => {
  const project = await installedProject();
  const home = cacheHome();
  const before = requests();
  const node = await token(home);
  const bun = await project.run(join(root, "node_modules", ".bin", "bun"), ["x", "--bun", "tokenkeeper", "token"], { env: env(home) });
  assert.is(bun.code, 0, bun.stderr);
  assert.is(bun.stdout, node.stdout);
  const deno = await project.run(join(root, "node_modules", ".bin", "deno"), ["run", "-A", "npm:tokenkeeper", "token"], { env: env(home, { DENO_NO_UPDATE_CHECK: "1" }) });
  assert.is(deno.code, 0, deno.stderr);
  assert.is(deno.stdout, node.stdout);
  assert.is(requests() - before, 1);
});

test("without XDG_CACHE_HOME or HOME in the environment nothing is cached, and nothing is said", async () => {
  const plain = await startServer({}, "none"); // plain http on loopback, in this process
  try {
    const vars = { TOKENKEEPER_TOKEN_ENDPOINT: plain.tokenEndpoint, TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: SECRET };
    const runs = [await runInProcess(["token"], vars), await runInProcess(["token"], vars)];
    const issued = plain.fake.issued.map((t) => `${t.value}\n`);
    assert.equal(runs.map((ran) => [ran.code, ran.stdout, ran.stderr]), [[0, issued[0], ""], [0, issued[1], ""]]);
  } finally {
    await plain.close();
  }
});

test("a refused token request is not cached: the next run asks again", async () => {
  let refuse = true;
  const flaky = await startServer({ token: () => (refuse ? oauthError(400, "invalid_scope", "not now") : undefined) });
  try {
    const home = cacheHome();
    const refused = await token(home, [], { TOKENKEEPER_TOKEN_ENDPOINT: flaky.tokenEndpoint });
    assert.is(refused.code, 3);
    refuse = false;
    const ok = await token(home, [], { TOKENKEEPER_TOKEN_ENDPOINT: flaky.tokenEndpoint });
    assert.is(ok.code, 0, ok.stderr);
    assert.is(flaky.fake.tokenRequests().length, 2);
  } finally {
    await flaky.close();
  }
});

test("token --help describes the cache and --no-cache", async () => {
  const { stdout } = await runInProcess(["token", "--help"]);
  for (const words of ["--no-cache", "$XDG_CACHE_HOME/tokenkeeper", "~/.cache/tokenkeeper", "~/Library/Caches/tokenkeeper", "0600", "0700", "encrypted"]) assert.match(stdout, words);
});

test.run();
