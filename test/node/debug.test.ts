// TOKENKEEPER_DEBUG (issue 20): set in the environment, every keeper logs every event it emits as
// one line on stderr, with nothing an event does not carry; unset, nothing is logged. Run in child
// processes, as a deployment would set it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXAMPLE_CREDENTIALS } from "../../examples/shared/fake-api.ts";

const test = suite("TOKENKEEPER_DEBUG");
const child = fileURLToPath(new URL("./fixtures/debug/child.ts", import.meta.url));

/** Runs the child keeper with `debug` as TOKENKEEPER_DEBUG (unset when `undefined`): what it printed, and stderr's lines. */
function run(debug: string | undefined): { accessToken: string; status: number; stderr: string[] } {
  const env = { ...process.env };
  delete env["TOKENKEEPER_DEBUG"];
  if (debug !== undefined) env["TOKENKEEPER_DEBUG"] = debug;
  const ran = spawnSync(process.execPath, ["--import", "tsx", "--conditions=tokenkeeper-source", child], { encoding: "utf8", env });
  assert.is(ran.status, 0, ran.stderr);
  return { ...JSON.parse(ran.stdout.trim().split("\n").pop()!), stderr: ran.stderr.split("\n").filter((line) => line !== "") };
}

test("TOKENKEEPER_DEBUG=1 logs every event as one line, without the client secret or the access token", () => {
  const { accessToken, status, stderr } = run("1");
  assert.is(status, 200);
  assert.ok(stderr.length > 0, "no line logged");
  const events = stderr.map((line) => {
    assert.match(line, /^tokenkeeper: \{/);
    return JSON.parse(line.slice("tokenkeeper: ".length)) as { type: string; tokenHash?: string };
  });
  const types = events.map((event) => event.type);
  for (const type of ["token_request_started", "token_fetched", "token_served", "token_invalidated"]) assert.ok(types.includes(type), `no ${type} line in ${types.join(", ")}`);
  // One token_served per getToken() and keeper.fetch() served from memory after the first.
  assert.is(types.filter((type) => type === "token_served").length, 2);
  for (const line of stderr) {
    assert.not.ok(line.includes(EXAMPLE_CREDENTIALS.clientSecret), `the client secret in: ${line}`);
    assert.not.ok(line.includes(accessToken), `the access token in: ${line}`);
  }
});

test("without TOKENKEEPER_DEBUG, or with it set to 0 or empty, nothing is logged", () => {
  for (const value of [undefined, "0", ""]) {
    const { status, stderr } = run(value);
    assert.is(status, 200);
    assert.equal(stderr, [], `TOKENKEEPER_DEBUG=${value}`);
  }
});

test.run();
