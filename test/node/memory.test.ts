// Memory stays bounded however many distinct per-call scopes a caller uses, and however large a
// streamed upload. Measured in child processes with --expose-gc by bench/measure/scope-memory.ts
// and bench/measure/upload-memory.ts; bytes only, never time.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("memory");
const script = fileURLToPath(new URL("../../bench/measure/scope-memory.ts", import.meta.url));
const uploadScript = fileURLToPath(new URL("../../bench/measure/upload-memory.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
/** Before, 5,000 more scopes retained 2.8 MB (failing) and 3.6 MB (served); now about 0.35 MB. */
const budgetBytes = 1_500_000;

test("5,000 more distinct per-call scopes, failing or served, retain a bounded heap", () => {
  const output = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script, "5000"], { encoding: "utf8" });
  const { failingBytes, servedBytes } = JSON.parse(output.trim().split("\n").pop()!) as { failingBytes: number; servedBytes: number };
  assert.ok(failingBytes < budgetBytes, `failing scopes retained ${failingBytes} bytes`);
  assert.ok(servedBytes < budgetBytes, `served scopes retained ${servedBytes} bytes`);
});

// Over Node's own fetch the whole body is held anyway, by undici (nodejs/undici#4058); over a fetch
// that keeps no copy, as Deno's and Bun's, keeper.fetch must keep none either. Before: 64 MiB.
test("keeper.fetch holds no copy of a 64 MiB streamed Request body", () => {
  const output = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", uploadScript, "64", root, "keeperNoCopyBytes"], { encoding: "utf8" });
  const grown = Number(output.trim().split("\n").pop());
  assert.ok(Number.isFinite(grown), output);
  assert.ok(grown < 16 * 2 ** 20, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB during the upload`);
});

test.run();
