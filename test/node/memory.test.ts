// Memory stays bounded however many distinct per-call scopes a caller uses. Measured in a child
// process with --expose-gc by bench/measure/scope-memory.ts; bytes only, never time.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("memory");
const script = fileURLToPath(new URL("../../bench/measure/scope-memory.ts", import.meta.url));
/** Before, 5,000 more scopes retained 2.8 MB (failing) and 3.6 MB (served); now about 0.35 MB. */
const budgetBytes = 1_500_000;

test("5,000 more distinct per-call scopes, failing or served, retain a bounded heap", () => {
  const output = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script, "5000"], { encoding: "utf8" });
  const { failingBytes, servedBytes } = JSON.parse(output.trim().split("\n").pop()!) as { failingBytes: number; servedBytes: number };
  assert.ok(failingBytes < budgetBytes, `failing scopes retained ${failingBytes} bytes`);
  assert.ok(servedBytes < budgetBytes, `served scopes retained ${servedBytes} bytes`);
});

test.run();
