// The command's errors name its own flags and variables, never the library's option names, and
// its help puts every option before the footer.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTokenKeeper, type TokenKeeperOptions } from "../../mod.ts";
import { inFlagTerms } from "../../cli/flags.ts";
import { jsonReply, withHostileServer } from "./hostile-server.ts";
import { runInProcess } from "./in-process.ts";

const test = suite("errors in the command's terms");
/** The library's option names, which a command user never typed. */
const LIBRARY_NAMES = /tokenEndpoint|clientId|clientSecret|tokenParameters|timeoutMs|dangerouslyAllowHttp|discover\(|createTokenKeeper|, got /;
const env = { TOKENKEEPER_CLIENT_ID: "flag-client", TOKENKEEPER_CLIENT_SECRET: "SENTINEL_flag_secret" };

function libraryError(options: Partial<TokenKeeperOptions>): Error {
  try {
    createTokenKeeper({ tokenEndpoint: "https://as.test/token", clientId: "c", clientSecret: "s", ...options } as TokenKeeperOptions);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`createTokenKeeper accepted ${JSON.stringify(options)}`);
}

test("inFlagTerms() retells the library's own option errors with the flag or variable, without the value or the library's hints", () => {
  const names = { endpoint: "TOKENKEEPER_TOKEN_ENDPOINT", clientId: "--client-id", credential: "TOKENKEEPER_CLIENT_SECRET", host: "dev.test:8080" };
  const cases: [Partial<TokenKeeperOptions>, RegExp][] = [
    [{ tokenEndpoint: "http://dev.test:8080/token" }, /^TOKENKEEPER_TOKEN_ENDPOINT: must use https; --dangerously-allow-http dev\.test:8080 allows plain http to a development server$/],
    [{ scope: 'read "quoted"' }, /^--scope: must be scope tokens \(RFC 6749 §3\.3\)$/],
    [{ resource: "relative/path" }, /^--resource: must be absolute URIs without fragment/],
    [{ tokenParameters: { grant_type: "password" } }, /^--param: "grant_type" is set by tokenkeeper and cannot be overridden$/],
    [{ timeoutMs: 0 }, /^--timeout-ms: must be a finite number of milliseconds >= 1$/],
    [{ dangerouslyAllowHttp: ["http://dev.test"] }, /^--dangerously-allow-http: must be a list of "host" or "host:port" names$/],
    [{ clientId: "" }, /^--client-id: must be a non-empty string$/],
  ];
  for (const [options, expected] of cases) {
    const original = libraryError(options);
    const told = inFlagTerms(original, names);
    assert.match(told.message, expected, `${original.message} → ${told.message}`);
    assert.not.match(told.message, LIBRARY_NAMES, told.message);
  }
});

test("token and doctor: an http endpoint, a bad scope, a reserved --param, a zero timeout and a bad --dangerously-allow-http are refused in flag terms, exit 2", async () => {
  const cases: [string[], string][] = [
    [["--token-endpoint", "http://dev.test:8080/token"], "--token-endpoint: must use https; --dangerously-allow-http dev.test:8080 allows plain http"],
    [["--issuer", "http://dev.test:8080"], "--issuer: must use https; --dangerously-allow-http dev.test:8080 allows plain http"],
    [["--token-endpoint", "https://as.test/token", "--scope", 'read "x"'], "--scope: must be scope tokens"],
    [["--token-endpoint", "https://as.test/token", "--param", "grant_type=password"], '--param: "grant_type" is set by tokenkeeper'],
    [["--token-endpoint", "https://as.test/token", "--timeout-ms", "0"], "--timeout-ms: must be"],
    [["--token-endpoint", "https://as.test/token", "--dangerously-allow-http", "http://dev.test"], "--dangerously-allow-http: must be"],
    [["--token-endpoint", "https://as.test/token", "--client-id", ""], "--client-id is empty"],
    [["--token-endpoint", "https://user:pass@as.test/token"], "--token-endpoint must not carry a user name or password"],
  ];
  for (const command of ["token", "doctor"]) {
    for (const [argv, expected] of cases) {
      const ran = await runInProcess([command, ...argv], env);
      assert.is(ran.code, 2, `${command} ${argv.join(" ")}: ${ran.stdout}${ran.stderr}`);
      assert.match(ran.stdout + ran.stderr, expected);
      assert.not.match(ran.stdout + ran.stderr, LIBRARY_NAMES);
    }
  }
  const fromEnv = await runInProcess(["token"], { ...env, TOKENKEEPER_TOKEN_ENDPOINT: "http://dev.test:8080/token" });
  assert.match(fromEnv.stderr, "TOKENKEEPER_TOKEN_ENDPOINT: must use https; --dangerously-allow-http dev.test:8080");
});

test("the library's hints in a failed request name the command's settings: an HTML 404 says check --token-endpoint", async () => {
  const ran = await withHostileServer(() => () => ({ status: 404, headers: [["Content-Type", "text/html"]], body: "<html>Not Found</html>" }), (server) =>
    runInProcess(["token", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host], env),
  );
  assert.is(ran.code, 4, ran.stderr);
  assert.match(ran.stderr, "check --token-endpoint");
  assert.not.match(ran.stderr, LIBRARY_NAMES);
  const challenged = await withHostileServer(() => () => ({ status: 401, headers: [["WWW-Authenticate", 'Basic realm="as"']] }), (server) =>
    runInProcess(["token", "--dangerously-allow-http", server.host], { ...env, TOKENKEEPER_TOKEN_ENDPOINT: `${server.url}/token` }),
  );
  assert.is(challenged.code, 3, challenged.stderr);
  assert.not.match(challenged.stderr, LIBRARY_NAMES);
  const ok = await withHostileServer(() => () => jsonReply({ access_token: "flag-token", token_type: "Bearer" }), (server) =>
    runInProcess(["token", "--token-endpoint", `${server.url}/token`, "--dangerously-allow-http", server.host], env),
  );
  assert.is(ok.stdout, "flag-token\n", "the same settings work once the server answers");
});

test("token --help lists --json among the options, before --help and the footer", async () => {
  const { stdout } = await runInProcess(["token", "--help"]);
  const at = (text: string) => stdout.indexOf(text);
  assert.ok(at("Options:") < at("  --json ") && at("  --json ") < at("  --help ") && at("  --help ") < at("A server with a private CA"), stdout);
  assert.is(stdout.trimEnd().split("\n").at(-1), "A server with a private CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem tokenkeeper …");
  const doctor = await runInProcess(["doctor", "--help"]);
  assert.not.match(doctor.stdout, "--json");
});

test.run();
