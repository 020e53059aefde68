// The exit-code table: one distinct code per TokenKeeperError code, and docs/cli.md says the same.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXIT, EXIT_BY_ERROR_CODE, exitCodeOf } from "../../cli/exit-codes.ts";
import { UsageError } from "../../cli/args.ts";
import { TokenEndpointError, TokenKeeperError } from "../../mod.ts";

const test = suite("exit codes");

// Every TokenKeeperErrorCode has an entry: EXIT_BY_ERROR_CODE's type is a Record over the union, so
// a code added without an exit code fails the type check.
test("every error code has an exit code of its own, apart from the command's own", () => {
  const all = [...Object.values(EXIT), ...Object.values(EXIT_BY_ERROR_CODE)];
  assert.ok(Object.keys(EXIT_BY_ERROR_CODE).length >= 13, "the table lists the error codes");
  assert.is(new Set(all).size, all.length, "no two meanings share an exit code");
});

test("an error maps to its code's exit code; bad arguments and refused options to 2; anything else to 70", () => {
  assert.is(exitCodeOf(new TokenEndpointError("refused", { error: "invalid_client", status: 401 })), 3);
  assert.is(exitCodeOf(new TokenKeeperError("NETWORK_ERROR", "down")), 9);
  assert.is(exitCodeOf(new UsageError("bad")), 2);
  assert.is(exitCodeOf(new TypeError("clientId: must be a non-empty string")), 2);
  assert.is(exitCodeOf(new Error("bug")), 70);
});

test("docs/cli.md lists the same table", () => {
  const doc = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");
  const rows = [...doc.matchAll(/^\| (\d+) \| ([^|]+?) \|/gm)].map((m) => ({ exit: Number(m[1]), meaning: m[2]! }));
  for (const [code, exit] of Object.entries(EXIT_BY_ERROR_CODE)) assert.equal(rows.filter((r) => r.meaning === `\`${code}\``).map((r) => r.exit), [exit], `docs/cli.md row for ${code}`);
  assert.equal(rows.map((r) => r.exit).sort((a, b) => a - b), [...Object.values(EXIT), ...Object.values(EXIT_BY_ERROR_CODE)].sort((a, b) => a - b), "one row per exit code");
});

test.run();
