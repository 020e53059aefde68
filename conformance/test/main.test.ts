import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { main } from "@tokenkeeper/conformance/cli";
import { BUILT_IN } from "../node/subjects.ts";
import type { Report } from "@tokenkeeper/conformance";

const subjects = fileURLToPath(new URL("../subjects/", import.meta.url));
const test = suite("main(), the command line");
let dir = "";

/** Runs main() in `dir` and returns its exit code and output. */
async function run(...argv: string[]): Promise<{ code: number; output: string }> {
  let output = "";
  const code = await main(argv, { cwd: dir, write: (text) => void (output += text) });
  return { code, output };
}

/** An adapter module in the temporary directory. */
function adapter(file: string, getToken: string): void {
  writeFileSync(join(dir, file), `export default {
  name: ${JSON.stringify(file.replace(/\.ts$/, ""))},
  capabilities: ["client_secret_post"],
  create: () => ({
    getToken: ${getToken},
    fetch: () => Promise.reject(new Error("no fetch")),
    invalidate: async () => {},
    close: async () => {},
  }),
  classify: (error) => ({ kind: "other", message: String(error) }),
};
`);
}

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), "conformance-main-"));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("resolves a relative --subject path and the --json file from options.cwd", async () => {
  writeFileSync(join(dir, "my-adapter.ts"), `export { default } from ${JSON.stringify(join(subjects, "oauth4webapi.ts"))};\n`);
  const { code, output } = await run("--subject", "./my-adapter.ts", "--only", "RESP-01", "--json", "out/report.json");
  assert.is(code, 0, output);
  assert.match(output, /RESP-01\s+RFC MUST\s+pass/);
  const report = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8")) as Report;
  assert.is(report.subject.name, "oauth4webapi");
});

test("returns 1 and names the RFC MUST failure when an RFC MUST scenario fails", async () => {
  const { code, output } = await run("--subject", "@badgateway/oauth2-client", "--only", "RESP-04", "--json", "r.json");
  assert.is(code, 1, output);
  assert.match(output, /FAILED RFC MUST: RESP-04/);
});

test("--format markdown prints a report ready for a pull request", async () => {
  const { code, output } = await run("--subject", "tokenkeeper", "--only", "RESP-01,AUTH-09", "--format", "markdown", "--json", "r.json");
  assert.is(code, 0, output);
  assert.match(output, /^### Conformance: tokenkeeper \d+\.\d+\.\d+: conformant\n/);
  assert.match(output, /\n\| AUTH \| 1 \| 0 \| 0 \| 0 \| 0 \|\n/);
  assert.match(output, /RFC MUST failures 0, SHOULD misses 0, robustness 1\/1, n\/a 0/);
  assert.match(output, /<details><summary>Every scenario, with the sentence it grades<\/summary>/);
  assert.match(output, /\| AUTH-09 \| RFC MUST\/ROBUST \| pass \| .* \| RFC MUST \(RFC 6749 §4\.4\.2\): "The client MUST authenticate/);
  assert.ok(existsSync(join(dir, "r.json")), "the JSON report is written as well");
});

test("says plainly that nothing reached env.fetch, instead of printing a table of failures", async () => {
  adapter("silent.ts", `async () => ({ accessToken: "made-up", tokenType: "Bearer" })`);
  const { code, output } = await run("--subject", "./silent.ts", "--only", "REQ-01,REQ-03,RESP-01", "--json", "r.json");
  assert.is(code, 2, output);
  assert.match(output, /UNUSABLE RUN: nothing reached the fetch the harness handed over \(env\.fetch\)/);
  assert.not.match(output, /^id\s+tier/m);
  const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as Report;
  assert.is(report.verdict, "unusable");
  assert.is(report.transport.fetchCalls, 0);
});

test("names the requests that went to the global fetch instead of env.fetch", async () => {
  adapter("bypass.ts", `async () => { await fetch("https://as.test/token", { method: "POST", body: "grant_type=client_credentials" }); return { accessToken: "x", tokenType: "Bearer" }; }`);
  const real = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new TypeError("fetch failed")); // no DNS lookup from a test
  try {
    const { code, output } = await run("--subject", "./bypass.ts", "--only", "RESP-01", "--json", "r.json");
    assert.is(code, 2, output);
    assert.match(output, /POST https:\/\/as\.test\/token/);
    assert.match(output, /went to the global fetch/);
  } finally {
    globalThis.fetch = real;
  }
});

test("refuses an unknown subject or scenario id with exit code 2 and a message", async () => {
  const unknown = await run("--subject", "no-such-library");
  assert.is(unknown.code, 2);
  assert.match(unknown.output, /no built-in subject of that name \(tokenkeeper, .*openid-client.*\) and no file/);
  const only = await run("--only", "XYZ-99");
  assert.is(only.code, 2);
  assert.match(only.output, /unknown scenario id\(s\) XYZ-99/);
});

test("--help names every built-in subject", async () => {
  const { code, output } = await run("--help");
  assert.is(code, 0);
  const aliases = new Set(["badgateway", "msal-node"]); // other spellings of @badgateway/oauth2-client and @azure/msal-node
  for (const name of Object.keys(BUILT_IN).filter((n) => !aliases.has(n))) assert.ok(output.includes(name), `usage names ${name}`);
});

test("--timeout-ms sets the deadline of each scenario; a value too small to grade anything is refused", async () => {
  // Sends its token request, then never answers the caller.
  writeFileSync(join(dir, "slow.ts"), `export default {
  name: "slow",
  capabilities: ["client_secret_post"],
  create: (env) => ({
    getToken: async () => { await env.fetch(env.tokenEndpoint, { method: "POST", body: "grant_type=client_credentials" }); return new Promise(() => {}); },
    fetch: () => Promise.reject(new Error("no fetch")),
    invalidate: async () => {},
    close: async () => {},
  }),
  classify: (error) => ({ kind: "other", message: String(error) }),
};
`);
  const { code, output } = await run("--subject", "./slow.ts", "--only", "RESP-01", "--timeout-ms", "1000", "--json", "r.json");
  assert.is(code, 1, output);
  assert.match(output, /scenario did not finish within 1000 ms/);
  const refused = await run("--timeout-ms", "5");
  assert.is(refused.code, 2);
  assert.match(refused.output, /--timeout-ms 5: use an integer of at least 1000/);
});

test.run();
