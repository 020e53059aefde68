// The command's careless-user paths: a secret pasted into the wrong option, the id and secret
// variables swapped, secret and key files other users can read, a malformed JWK.
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UsageError } from "../../cli/args.ts";
import { showClientId } from "../../cli/client-id.ts";
import { importPrivateKey } from "../../cli/private-key.ts";
import { jsonReply, withHostileServer } from "./hostile-server.ts";
import { runInProcess } from "./in-process.ts";
import { assertNoLeak } from "./leaks.ts";

const test = suite("careless users");
const SECRET = "SENTINEL_pasted_secret+/=%&?é~ \"x";
const CLIENT_ID = "billing-service";
const token = jsonReply({ access_token: "careless-token", token_type: "Bearer", expires_in: 300 }, [["Cache-Control", "no-store"]]);
let dir: string;

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "tokenkeeper-careless-"));
});
test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A file in the test folder with the given mode (set after writing: the umask does not apply). */
function file(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

test("a secret pasted into --token-endpoint, --issuer or --resource is not repeated, by token or doctor", async () => {
  const env = { TOKENKEEPER_TOKEN_ENDPOINT: undefined, TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: SECRET };
  for (const command of ["token", "doctor"]) {
    const cases = [["--token-endpoint", ["--token-endpoint", SECRET]], ["--token-endpoint", [`--token-endpoint=${SECRET}`]], ["--issuer", ["--issuer", SECRET]], ["--resource", ["--token-endpoint", "https://as.test/token", "--resource", SECRET]]] as const;
    for (const [flag, argv] of cases) {
      const ran = await runInProcess([command, ...argv], env);
      assert.is(ran.code, 2, `${command} ${flag}: ${ran.stdout}${ran.stderr}`);
      assert.match(ran.stdout + ran.stderr, `${flag} must be an absolute`);
      assertNoLeak(ran, { secrets: [SECRET], clientId: CLIENT_ID });
    }
  }
});

test("a value that is not a URL or a readable file is not repeated, even when the command cannot know it is a secret", async () => {
  // No run of 8 characters in common with SECRET: the scrubber would hide part of it otherwise.
  const unknown = "UNKNOWN-value+q9Zx7Wv3";
  const withSecret = ["--client-secret-file", file("secret-600", `${SECRET}\n`, 0o600)];
  const cases = [
    [...withSecret, "--token-endpoint", unknown],
    [...withSecret, "--issuer", `ftp:${unknown}`],
    [...withSecret, "--token-endpoint", "https://as.test/token", "--resource", unknown],
    ["--token-endpoint", "https://as.test/token", "--client-secret-file", unknown],
    ["--token-endpoint", "https://as.test/token", "--private-key-file", unknown],
  ];
  for (const argv of cases) {
    for (const command of ["token", "doctor"]) {
      const ran = await runInProcess([command, ...argv], { TOKENKEEPER_CLIENT_ID: CLIENT_ID });
      assert.is(ran.code, 2, `${command} ${argv.join(" ")}: ${ran.stdout}${ran.stderr}`);
      assertNoLeak(ran, { secrets: [unknown, SECRET] });
    }
  }
});

test("a secret pasted into --resource that reads as a URI is sent, but scrubbed from everything doctor prints", async () => {
  const uriSecret = "urn:SENTINEL_uri_secret_Zq9";
  const ran = await withHostileServer(() => () => token, (server) =>
    runInProcess(["doctor", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host, "--resource", uriSecret], { TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: uriSecret }),
  );
  assert.match(ran.stdout, "resource: [redacted]");
  assertNoLeak(ran, { secrets: [uriSecret], clientId: CLIENT_ID });
});

test("with the id and secret variables swapped, doctor shows four characters of the 'client id', suggests the swap, and never prints it, even when the server echoes it", async () => {
  const realSecret = "Xk3vQ9pL2mN7rT4wY8zB1cD6fG0hJ5sA-_e";
  const ran = await withHostileServer(() => (request) => jsonReply({ error: "invalid_client", error_description: `unknown client ${new URLSearchParams(request.body).get("client_id")}` }, [["Content-Type", "application/json"]]), (server) =>
    runInProcess(["doctor", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host], { TOKENKEEPER_CLIENT_ID: realSecret, TOKENKEEPER_CLIENT_SECRET: CLIENT_ID }),
  );
  assert.match(ran.stdout, `client id Xk3v… (${realSecret.length} characters) (TOKENKEEPER_CLIENT_ID)`);
  assert.match(ran.stdout, "are TOKENKEEPER_CLIENT_ID and the secret swapped?");
  assert.match(ran.stdout, "unknown client [redacted]");
  assertNoLeak(ran, { secrets: [realSecret, CLIENT_ID] });
  const swappedToken = await withHostileServer(() => (request) => jsonReply({ error: "invalid_client", error_description: `unknown client ${new URLSearchParams(request.body).get("client_id")}` }), (server) =>
    runInProcess(["token", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host], { TOKENKEEPER_CLIENT_ID: realSecret, TOKENKEEPER_CLIENT_SECRET: CLIENT_ID }),
  );
  assert.is(swappedToken.code, 3, swappedToken.stderr);
  assertNoLeak(swappedToken, { secrets: [realSecret, CLIENT_ID] });
});

test("doctor shows a client id that reads like an identifier whole (a client id is not a secret)", async () => {
  const ran = await withHostileServer(() => () => token, (server) =>
    runInProcess(["doctor", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host], { TOKENKEEPER_CLIENT_ID: "cli-client", TOKENKEEPER_CLIENT_SECRET: "SENTINEL_SECRET_cli+/=%&?é~ \"x" }),
  );
  assert.match(ran.stdout, "client id cli-client (TOKENKEEPER_CLIENT_ID), client_secret_post");
  assert.not.match(ran.stdout, "shown in part");
});

test("showClientId() shows identifiers whole and, in part, ids as long as the secret or shaped like generated secrets", () => {
  const whole = ["cli-client", "billing-service", "123e4567-e89b-12d3-a456-426614174000", "my.app@example.com", "https://client.example.com/"];
  for (const id of whole) assert.equal(showClientId(id, "a-much-longer-client-secret-value-0123456789"), { text: id, maybeSecret: false }, id);
  assert.equal(showClientId("billing-service", "billing-service"), { text: "bill… (15 characters)", maybeSecret: true }, "equal to the secret");
  assert.equal(showClientId("Xk3vQ9pL2mN7rT4wY8zB1cD6", "short-id"), { text: "Xk3v… (24 characters)", maybeSecret: true }, "longer than the secret");
  assert.equal(showClientId("yVX1b2z8Qw3Ke5Rt7Uo9Ip0As4Df6Gh2", undefined), { text: "yVX1… (32 characters)", maybeSecret: true }, "shaped like a generated secret");
  assert.equal(showClientId("my-service", undefined), { text: "my-service", maybeSecret: false }, "private_key_jwt: no secret to compare with");
});

test("a secret file readable by its group and others is read with a warning that gives the mode and the fix; mode 0600 gets none", async () => {
  const open = file("secret-644", `${SECRET}\n`, 0o644);
  const closed = file("secret-600b", `${SECRET}\n`, 0o600);
  await withHostileServer(() => () => token, async (server) => {
    const env = { TOKENKEEPER_TOKEN_ENDPOINT: `${server.url}/token`, TOKENKEEPER_CLIENT_ID: CLIENT_ID };
    const warned = await runInProcess(["token", "--client-secret-file", open, "--dangerously-allow-http", server.host], env);
    assert.is(warned.code, 0, warned.stderr);
    assert.is(warned.stdout, "careless-token\n");
    assert.is(warned.stderr, `tokenkeeper token: warning: the client secret file ${open} is readable by its group and others (mode 0644): chmod 600 ${open}\n`);
    const viaEnv = await runInProcess(["token", "--dangerously-allow-http", server.host], { ...env, TOKENKEEPER_CLIENT_SECRET_FILE: open });
    assert.match(viaEnv.stderr, "(mode 0644): chmod 600");
    const quiet = await runInProcess(["token", "--client-secret-file", closed, "--dangerously-allow-http", server.host], env);
    assert.is(quiet.code, 0, quiet.stderr);
    assert.is(quiet.stderr, "");
    assertNoLeak(warned, { secrets: [SECRET], clientId: CLIENT_ID });
  });
});

test("a private key file readable by its group: doctor warns with the mode and the fix", async () => {
  const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const key = file("key-640.pem", pem, 0o640);
  const ran = await withHostileServer(() => () => token, (server) =>
    runInProcess(["doctor", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host, "--private-key-file", key], { TOKENKEEPER_CLIENT_ID: CLIENT_ID }),
  );
  assert.match(ran.stdout, `WARN  the private key file ${key} is readable by its group (mode 0640): chmod 600 ${key}`);
  assertNoLeak(ran, { secrets: [pem.split("\n").slice(1, -2).join("")] });
});

test("a JWK with a malformed d is a usage error (exit 2), not a bug (70) and not a crash, and its d is never printed", async () => {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  // An oversized d made node:crypto's JWK export abort the process (an assertion in node 20).
  for (const [name, bad] of [["not base64url", { ...jwk, d: "!!!" }], ["too short", { ...jwk, d: "AAAA" }], ["too long", { ...jwk, d: `${jwk.d}AAAAAAAA` }], ["a number", { ...jwk, d: 5 }], ["public only", { ...jwk, d: undefined }], ["RSA without n", { ...rsa, n: undefined }]] as const) {
    const error = await importPrivateKey(JSON.stringify(bad)).catch((e: unknown) => e);
    assert.instance(error, UsageError, name);
  }
  const path = file("bad-jwk.json", JSON.stringify({ ...jwk, d: `${jwk.d}AAAAAAAA` }), 0o600);
  for (const command of ["token", "doctor"]) {
    const ran = await runInProcess([command, "--token-endpoint", "https://as.test/token", "--private-key-file", path], { TOKENKEEPER_CLIENT_ID: CLIENT_ID });
    assert.is(ran.code, 2, `${command}: ${ran.stdout}${ran.stderr}`);
    assert.match(ran.stdout + ran.stderr, "not a usable private key");
    assertNoLeak(ran, { secrets: [jwk.d!] });
  }
});

test.run();
