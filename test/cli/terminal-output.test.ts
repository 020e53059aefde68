// Every line the command prints goes through one writer that escapes terminal controls: checked
// in the sources (nothing else reaches a stream) and against hostile servers, certificates and
// packages that put escape sequences, C1 controls and bidi overrides in every field it shows.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { escapeControls } from "../../cli/terminal-text.ts";
import { type Ran, root } from "../package/pack.ts";
import { type HostileReply, type HostileRequest, jsonReply, startHostileServer, withHostileServer } from "./hostile-server.ts";
import { assertTerminalSafe, hostile, hostileHeader } from "./hostile-text.ts";
import { capturingIo, runInProcess } from "./in-process.ts";

const test = suite("terminal-safe output");
// No word of the command's own output in it ("secret" would be): redaction matches a secret's
// letters and digits across any punctuation in text that holds characters outside ASCII.
const SECRET = "SENTINEL_escape_k3y9+/=";

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Runs the command against a hostile server made from `route`. */
function against(route: (origin: string) => (request: HostileRequest) => HostileReply, argv: (origin: string, host: string) => string[]): Promise<Ran> {
  return withHostileServer(route, (server) => runInProcess(argv(server.url, server.host), { TOKENKEEPER_CLIENT_ID: "terminal-client", TOKENKEEPER_CLIENT_SECRET: SECRET }));
}

const json = jsonReply;

test("escapeControls() writes C0 controls but tab and newline, DEL, C1 and bidi overrides and isolates as \\uXXXX, and nothing else", () => {
  const unsafe = [...Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 9 && i !== 10), ...Array.from({ length: 33 }, (_, i) => 0x7f + i), 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
  for (const code of unsafe) assert.is(escapeControls(`a${String.fromCharCode(code)}b`), `a\\u${code.toString(16).padStart(4, "0")}b`);
  const kept = "tab\tnewline\nspace ~ é ü 日本 😀 \u00a0 \u200f \u2028 \\u001b";
  assert.is(escapeControls(kept), kept);
  assert.equal(JSON.parse(escapeControls(JSON.stringify({ v: "\u009b\u202e\u007f" }))), { v: "\u009b\u202e\u007f" }, "escaped JSON stays JSON with the same value");
});

test("a secret echoed in an encoded spelling cuts the rest of its own line only: the lines after it and their newlines are kept", () => {
  // Every run of 8 characters holds one that percent-encoding changes: found only when decoded.
  const secret = "mý sécret+1/é&<x>€q'ñ!";
  const io = capturingIo({});
  io.secret(secret);
  io.stdout(`WARN server said: ${encodeURIComponent(secret)} and more\nnext line\n`);
  const written = io.streams.stdout.join("");
  assert.not.ok(written.includes(encodeURIComponent(secret).slice(0, 8)), written);
  assert.match(written, /^WARN server said:.*\nnext line\n$/);
});

test("nothing in cli/ writes to a stream but the writer: process.stdout, process.stderr and console are used in process-streams.ts and main.ts only", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.push(relative(root, path));
    }
  };
  walk(join(root, "cli"));
  assert.ok(files.length > 10, "the walk finds the sources");
  const uses = (pattern: RegExp) => files.filter((file) => pattern.test(readFileSync(join(root, file), "utf8"))).sort();
  assert.equal(uses(/process\.(stdout|stderr)|\bconsole\s*\.|\.write(Sync)?\(\s*[12]\b|\/dev\/tty/), ["cli/main.ts", "cli/process-streams.ts"]);
  assert.equal(uses(/^import[^;]*\bprocessStreams\b/m), ["cli/main.ts"], "only the bin takes the raw streams");
  assert.equal(uses(/\bwrite(Stdout|Stderr)\b/), ["cli/io.ts", "cli/process-streams.ts"], "only the writer writes to them");
  assert.equal(uses(/\.result\(/), ["cli/token.ts"], "only `token` prints an unscrubbed result");
  assert.equal(readFileSync(join(root, "cli/main.ts"), "utf8").match(/process\.(stdout|stderr)\.write\([^,)]*/g), ['process.stdout.write(""', 'process.stderr.write(""'], "main.ts writes nothing but the flush");
});

test("doctor: metadata values, content type, scope, JWT header fields, iss and aud from a hostile server are shown escaped", async () => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = `${b64url({ alg: hostile("alg"), typ: hostile("typ"), kid: "k" })}.${b64url({ iss: hostile("iss"), aud: [hostile("aud"), "https://api.test/"], iat: now, exp: now + 300 })}.c2ln`;
  const ran = await against(
    (origin) => (request) =>
      request.method === "POST"
        ? json({ access_token: jwt, token_type: "Bearer", expires_in: 300, scope: `read ${hostile("scope")}` }, [["Content-Type", `application/json; x=${hostileHeader("type")}`], ["Cache-Control", "no-store"]])
        : json({
          issuer: origin,
          token_endpoint: `${origin}/${hostile("endpoint")}`,
          token_endpoint_auth_methods_supported: ["client_secret_post", hostile("method")],
          grant_types_supported: [hostile("grant")],
        }),
    (origin, host) => ["doctor", "--token-endpoint", `${origin}/token`, "--scope", "read", "--resource", "https://elsewhere.test/", "--dangerously-allow-http", host],
  );
  assert.match(ran.stdout, "a JWT (alg", ran.stdout);
  assertTerminalSafe(ran, ["endpoint", "method", "grant", "type", "scope", "alg", "typ", "iss", "aud"]);
});

test("doctor: an OAuth error, its WWW-Authenticate challenge and content type, and a redirect's Location from a hostile server are shown escaped", async () => {
  const ran = await against(
    () => (request) =>
      request.method === "POST"
        ? { status: 401, headers: [["Content-Type", `application/json; x=${hostileHeader("type")}`], ["WWW-Authenticate", `Basic realm="${hostileHeader("challenge")}"`]], body: JSON.stringify({ error: "invalid_client", error_description: hostile("description") }) }
        : { status: 302, headers: [["Location", hostileHeader("location")]] },
    (origin, host) => ["doctor", "--token-endpoint", `${origin}/token`, "--dangerously-allow-http", host],
  );
  assert.is(ran.code, 3, ran.stdout);
  assertTerminalSafe(ran, ["type", "challenge", "location"], ["description"]);
});

test("doctor: a hostile issuer's metadata (issuer, token endpoint) is shown escaped before discovery fails", async () => {
  const ran = await against(
    (origin) => () => json({ issuer: `${origin}${hostile("issuer")}`, token_endpoint: `${origin}/${hostile("endpoint")}` }),
    (origin, host) => ["doctor", "--issuer", origin, "--dangerously-allow-http", host],
  );
  assert.is(ran.code, 7, ran.stdout);
  assertTerminalSafe(ran, ["issuer", "endpoint"]);
});

test("doctor: a certificate whose subject and issuer hold escape sequences is described escaped before it is called untrusted", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-hostile-cert-"));
  try {
    // A name holds at most 64 characters: the window title, clear screen, 8-bit CSI and U+202E.
    const name = "certificate:\u001b]0;pwned\u0007\u001b[2J\u009b2J\u202eevil";
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-utf8", "-subj", `/CN=${name}/O=${name}`, "-addext", "subjectAltName=DNS:localhost"], { cwd: dir, stdio: "ignore" });
    const tls = { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    const server = await startHostileServer(() => json({}), tls);
    try {
      const ran = await runInProcess(["doctor", "--token-endpoint", `${server.url}/token`], { TOKENKEEPER_CLIENT_ID: "terminal-client", TOKENKEEPER_CLIENT_SECRET: SECRET });
      assert.is(ran.code, 9, ran.stdout);
      assert.match(ran.stdout, /issued by certificate:[^\n]*\n[^\n]*FAIL\s+the certificate is not trusted/);
      assertTerminalSafe(ran, ["certificate"]);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("token: the scope in --json is printed with controls escaped, as JSON that holds the scope as sent; a token outside VSCHAR is refused", async () => {
  const asJson = await against(
    () => () => json({ access_token: "token-value", token_type: "Bearer", expires_in: 300, scope: hostile("scope") }),
    (origin, host) => ["token", "--json", "--token-endpoint", `${origin}/token`, "--dangerously-allow-http", host],
  );
  assert.is(asJson.code, 0, asJson.stderr);
  assertTerminalSafe(asJson, ["scope"]);
  const printed = JSON.parse(asJson.stdout) as Record<string, unknown>;
  assert.is(printed["access_token"], "token-value");
  assert.is(printed["scope"], hostile("scope"));
  const refused = await against(
    () => () => json({ access_token: `tok-${hostile("token")}`, token_type: "Bearer", expires_in: 300 }),
    (origin, host) => ["token", "--token-endpoint", `${origin}/token`, "--dangerously-allow-http", host],
  );
  assert.is(refused.code, 5, refused.stderr);
  assert.is(refused.stdout, "");
  assertTerminalSafe(refused);
});

test("token: an OAuth error whose description holds escape sequences and a bidi override is printed escaped on stderr", async () => {
  const ran = await against(
    () => () => ({ status: 400, headers: [["Content-Type", "application/json"]], body: JSON.stringify({ error: "invalid_scope", error_description: hostile("description") }) }),
    (origin, host) => ["token", "--token-endpoint", `${origin}/token`, "--dangerously-allow-http", host],
  );
  assert.is(ran.code, 3, ran.stderr);
  assertTerminalSafe(ran, [], ["description"]);
});

test("usage errors, the help texts and an unknown command print no control character, whatever was typed", async () => {
  for (const argv of [[hostile("command")], ["token", `--${hostile("option")}`], ["doctor", hostile("argument")], ["token", "--help"], ["doctor", "--help"], ["conformance", "--help"], ["--help"], []]) {
    const ran = await runInProcess(argv, {});
    assertTerminalSafe(ran);
    assert.ok(ran.stdout + ran.stderr !== "", "something is printed");
  }
});

test("conformance: what the suite writes, and why it does not load, pass through the same writer", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-hostile-suite-"));
  /** A project with a stand-in @tokenkeeper/conformance whose cli module is `source`. */
  const project = (name: string, source: string): string => {
    const suite = join(dir, name, "node_modules", "@tokenkeeper", "conformance");
    mkdirSync(suite, { recursive: true });
    writeFileSync(join(dir, name, "package.json"), JSON.stringify({ name, private: true }));
    writeFileSync(join(suite, "package.json"), JSON.stringify({ name: "@tokenkeeper/conformance", type: "module", exports: { "./cli": "./main.js" } }));
    writeFileSync(join(suite, "main.js"), source);
    return join(dir, name);
  };
  try {
    const writing = project("writing", `export async function main(argv, { write }) { write(${JSON.stringify(hostile("report"))} + "\\n"); return 0; }\n`);
    const ran = await runInProcess(["conformance", "--subject", "x"], {}, { cwd: writing });
    assert.is(ran.code, 0, ran.stderr);
    assertTerminalSafe(ran, ["report"]);
    const broken = project("broken", `throw new Error(${JSON.stringify(hostile("load"))});\n`);
    const failed = await runInProcess(["conformance", "--subject", "x"], {}, { cwd: broken });
    assert.is(failed.code, 2, failed.stderr);
    assertTerminalSafe(failed, ["load"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
