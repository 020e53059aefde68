// keeper.fetch()'s own cost per call, without a network: a fetch that answers at once, median of
// 9 rounds of 50,000 calls (the fastest two dropped). Give another checkout's root to compare a
// version before a change with this one, in the same conditions:
//   cd bench && node --import tsx fetch-overhead.ts [path/to/checkout]
import { fileURLToPath, pathToFileURL } from "node:url";

const root = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url));
const mod = await import(pathToFileURL(`${root}/mod.ts`).href);
const answer = async (input: string | URL | Request): Promise<Response> =>
  String(input).endsWith("/token")
    ? new Response(JSON.stringify({ access_token: "tok", token_type: "Bearer", expires_in: 3600 }), { headers: { "content-type": "application/json" } })
    : new Response("ok");
const options: Record<string | symbol, unknown> = {
  tokenEndpoint: "https://as.example/token",
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example",
};
// Versions before the core redesign took the fetch as the `customFetch` symbol.
if (mod.customFetch) options[mod.customFetch] = answer;
else options["fetch"] = answer;
const keeper = mod.createTokenKeeper(options);
await keeper.getToken();
const rounds: number[] = [];
for (let r = 0; r < 9; r++) {
  const calls = 50_000;
  const started = performance.now();
  for (let i = 0; i < calls; i++) await keeper.fetch("/v2/x");
  rounds.push(((performance.now() - started) * 1000) / calls);
}
rounds.sort((a, b) => a - b);
console.log(`${root}: keeper.fetch() ${rounds[4]!.toFixed(2)} µs per call (median; rounds ${rounds.map((x) => x.toFixed(1)).join(" ")})`);
