// Memory held while a large streamed `Request` body is uploaded, through raw `fetch` and through
// `keeper.fetch()`, to a local server that discards what it reads. The body is made on demand
// (a fresh 1 MiB chunk per read, as a file stream makes them); every 16 MiB the source collects
// garbage and samples heap plus array buffers, so what counts is what the client keeps.
//
// Node's own fetch (undici) keeps a streamed body whole for as long as the upload runs, unless
// `redirect: "error"` (nodejs/undici#4058): it clones the request to be able to follow a redirect,
// and the clone tees the stream. So the upload runs twice: over Node's fetch, and over a fetch
// that keeps no copy (Node's with `redirect: "error"`, as Deno's and Bun's fetch keep none), which
// shows what keeper.fetch itself keeps. Each side runs in a process of its own (Node's fetch lets
// go of a finished upload's chunks only some time later). Give another checkout's root to measure
// a version before a change in the same conditions. Prints one JSON line: the size and the largest
// growth over the baseline, in bytes, for each side.
//   node --expose-gc --import tsx bench/measure/upload-memory.ts [MiB] [path/to/checkout]
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const mib = Number(process.argv[2] ?? 300);
const root = process.argv[3] ?? fileURLToPath(new URL("../..", import.meta.url));
const sides = ["rawBytes", "keeperBytes", "rawNoCopyBytes", "keeperNoCopyBytes"] as const;
const side = process.argv[4] as (typeof sides)[number] | undefined;
if (side === undefined) {
  const result: Record<string, number> = { mib };
  for (const name of sides) {
    const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(mib), root, name], { encoding: "utf8" });
    result[name] = Number(output.trim().split("\n").pop());
  }
  console.log(JSON.stringify(result));
  process.exit(0);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");
const mod = await import(pathToFileURL(`${root}/mod.ts`).href);

const chunk = 1 << 20;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Heap and array buffers in use once garbage is collected and freed backing stores are gone. */
async function settled(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return used();
}

// The server runs in a child process: its buffers are not the client's.
const server = spawn(process.execPath, ["-e", `
  const server = require("node:http").createServer((request, response) => {
    if (request.url === "/token") {
      response.setHeader("content-type", "application/json");
      return response.end(JSON.stringify({ access_token: "upload-token", token_type: "Bearer", expires_in: 3600 }));
    }
    request.on("data", () => {});
    request.on("end", () => response.end("ok"));
  });
  server.listen(0, "127.0.0.1", () => console.log("http://127.0.0.1:" + server.address().port));
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
`], { stdio: ["pipe", "pipe", "inherit"] });
const origin = await new Promise<string>((resolve, reject) => {
  server.stdout.once("data", (data) => resolve(String(data).trim()));
  server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
});

/** The largest growth over the baseline seen while `send` uploads `mib` MiB as a stream. */
async function peakGrowth(send: (request: Request) => Promise<Response>): Promise<number> {
  const baseline = await settled();
  let peak = 0;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent % (16 * chunk) === 0) {
        peak = Math.max(peak, (await settled()) - baseline);
      }
      if (sent >= mib * chunk) return controller.close();
      controller.enqueue(new Uint8Array(chunk).fill(sent / chunk));
      sent += chunk;
    },
  }, { highWaterMark: 0 });
  const response = await send(new Request(`${origin}/upload`, { method: "PUT", body, duplex: "half" } as RequestInit));
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`upload answered ${response.status}`);
  if (sent !== mib * chunk) throw new Error(`${sent} of ${mib * chunk} bytes sent`);
  return peak;
}

const noCopyFetch = (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, redirect: "error" });
const options: Record<string | symbol, unknown> = { tokenEndpoint: `${origin}/token`, clientId: "client", clientSecret: "secret", baseUrl: origin };
// Versions before http on loopback was allowed by default needed the symbol.
if (mod.allowInsecureRequests) options[mod.allowInsecureRequests] = true;
const noCopy = side === "rawNoCopyBytes" || side === "keeperNoCopyBytes";
const keeper = mod.createTokenKeeper({ ...options, fetch: noCopy ? noCopyFetch : fetch });
await keeper.getToken();
const raw = side === "rawBytes" || side === "rawNoCopyBytes";
const grown = await peakGrowth((request) => (raw ? (noCopy ? noCopyFetch(request) : fetch(request)) : keeper.fetch(request)));
await keeper.close();
server.stdin.end();
console.log(grown);
