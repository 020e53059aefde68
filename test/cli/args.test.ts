// cli/args.ts and cli/config.ts in-process: options, precedence, and values never repeated.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseArgs, UsageError } from "../../cli/args.ts";
import { CONFIG_OPTIONS, loadConfig } from "../../cli/config.ts";
import { capturingIo } from "./in-process.ts";

const test = suite("command line arguments and configuration");
const VALUE = "SENTINEL_VALUE_+/%x";

function io(env: Record<string, string>, stdin = "", cwd = process.cwd()): ReturnType<typeof capturingIo> {
  return capturingIo(env, { stdin, cwd });
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    assert.instance(error, UsageError);
    return error as UsageError;
  }
  assert.unreachable("expected a UsageError");
  throw new Error("unreachable");
}

test("parses --name value, --name=value, repeated options and flags", () => {
  const args = parseArgs(["--scope", "a b", "--scope=c", "--json", "--token-endpoint", "https://as.test/token"], { ...CONFIG_OPTIONS, json: { type: "boolean" } });
  assert.equal(args.all("scope"), ["a b", "c"]);
  assert.is(args.value("token-endpoint"), "https://as.test/token");
  assert.ok(args.flag("json"));
  assert.not.ok(args.flag("help"));
});

test("an error names the option, never the value given", () => {
  const cases = [["--client-secret", VALUE], [`--client-secret=${VALUE}`], [`--password=${VALUE}`], [VALUE], ["--bogus", VALUE], [`--bogus=${VALUE}`], ["--json=" + VALUE], ["--", VALUE], [`--${VALUE}`]];
  for (const argv of cases) {
    const error = usageError(() => parseArgs(argv, { ...CONFIG_OPTIONS, json: { type: "boolean" } }));
    for (const spelling of [VALUE, encodeURIComponent(VALUE)]) assert.not.ok(error.message.includes(spelling), `the message for ${argv[0]!.slice(0, 10)} repeats the value`);
  }
  assert.match(usageError(() => parseArgs(["--client-secret", VALUE], CONFIG_OPTIONS)).message, "never read from the command line");
  assert.match(usageError(() => parseArgs(["--issuer"], CONFIG_OPTIONS)).message, "--issuer needs a value");
  assert.match(usageError(() => parseArgs(["--issuer", "a", "--issuer", "b"], CONFIG_OPTIONS)).message, "more than once");
});

test("an option overrides its variable; two endpoints in one place are refused", async () => {
  const env = { TOKENKEEPER_TOKEN_ENDPOINT: "https://env.test/token", TOKENKEEPER_CLIENT_ID: "env-client", TOKENKEEPER_CLIENT_SECRET: VALUE };
  const fromEnv = await loadConfig(parseArgs([], CONFIG_OPTIONS), io(env));
  assert.equal([fromEnv.endpoint.value, fromEnv.endpoint.from, fromEnv.clientId.value, fromEnv.method, fromEnv.credentialFrom], ["https://env.test/token", "TOKENKEEPER_TOKEN_ENDPOINT", "env-client", "client_secret_post", "TOKENKEEPER_CLIENT_SECRET"]);
  const fromArgs = await loadConfig(parseArgs(["--issuer", "https://issuer.test", "--client-id", "arg-client"], CONFIG_OPTIONS), io(env));
  assert.equal([fromArgs.endpoint.kind, fromArgs.endpoint.from, fromArgs.clientId.value], ["issuer", "--issuer", "arg-client"]);
  const both = await loadConfig(parseArgs([], CONFIG_OPTIONS), io({ ...env, TOKENKEEPER_ISSUER: "https://issuer.test" })).catch((error: unknown) => error);
  assert.instance(both, UsageError);
  assert.match((both as Error).message, "not both");
});

test("the secret comes from a file or stdin without its final newline, and two sources are refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-args-"));
  try {
    writeFileSync(join(dir, "secret"), `${VALUE}\n`);
    const base = { TOKENKEEPER_TOKEN_ENDPOINT: "https://as.test/token", TOKENKEEPER_CLIENT_ID: "c" };
    const fileIo = io(base, "", dir);
    const file = await loadConfig(parseArgs(["--client-secret-file", "secret"], CONFIG_OPTIONS), fileIo);
    assert.is(file.credentialFrom, "--client-secret-file");
    assert.is(fileIo.scrub(`x ${VALUE} y`), "x [redacted] y");
    const envFile = await loadConfig(parseArgs([], CONFIG_OPTIONS), io({ ...base, TOKENKEEPER_CLIENT_SECRET_FILE: join(dir, "secret") }));
    assert.is(envFile.credentialFrom, "TOKENKEEPER_CLIENT_SECRET_FILE");
    const stdinIo = io(base, `${VALUE}\r\n`);
    await loadConfig(parseArgs(["--client-secret-stdin"], CONFIG_OPTIONS), stdinIo);
    assert.is(stdinIo.scrub(VALUE), "[redacted]");
    for (const [args, env] of [[["--client-secret-file", "secret", "--client-secret-stdin"], base], [[], { ...base, TOKENKEEPER_CLIENT_SECRET: VALUE, TOKENKEEPER_CLIENT_SECRET_FILE: "secret" }], [["--client-secret-file", "missing"], base]] as const) {
      const error = await loadConfig(parseArgs(args, CONFIG_OPTIONS), io(env, "", dir)).catch((e: unknown) => e);
      assert.instance(error, UsageError);
      assert.not.ok((error as Error).message.includes(VALUE));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
