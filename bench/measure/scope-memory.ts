// Heap retained by a keeper after thousands of distinct per-call scopes, served or failing. Run
// with --expose-gc (bench/run.ts and test/node/memory.test.ts do). Prints one JSON line.
import { createTokenKeeper } from "../../mod.ts";

const distinct = Number(process.argv[2] ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

/** Heap in use once garbage is collected and finalizers (undici's body registry) have run. */
async function heap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  gc!();
  return process.memoryUsage().heapUsed;
}

let n = 0;
function tokenServer(failing: boolean) {
  return async (): Promise<Response> => {
    n++;
    const body = failing
      ? { error: "invalid_scope", error_description: `scope ${n} is not allowed here: ${"x".repeat(200)}` }
      : { access_token: `token-${n}-${"y".repeat(40)}`, token_type: "Bearer", expires_in: 3600 };
    return new Response(JSON.stringify(body), { status: failing ? 400 : 200, headers: { "content-type": "application/json" } });
  };
}

async function retained(failing: boolean): Promise<number> {
  const keeper = createTokenKeeper({
    tokenEndpoint: "https://as.example/token",
    clientId: "client",
    clientSecret: "secret-value",
    retry: false,
    fetch: tokenServer(failing),
  });
  // Warm-up: compiled code, and a cache already at its cap, so only growth is measured.
  for (let i = 0; i < 1_200; i++) await keeper.getToken({ scope: `warm-${i}` }).catch(() => {});
  const before = await heap();
  for (let i = 0; i < distinct; i++) await keeper.getToken({ scope: `scope-${i}` }).catch(() => {});
  const after = await heap();
  // Keep the keeper alive until after the measurement.
  if (n < 0) console.log(keeper);
  return after - before;
}

const failing = await retained(true);
const served = await retained(false);
console.log(JSON.stringify({ distinct, failingBytes: failing, servedBytes: served }));
