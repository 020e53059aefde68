// `npm start` (here) or `npm run bench` (at the root): every measurement, for tokenkeeper and each
// peer, in one run, printed as one table. `--write` also puts the table into ../BENCHMARKS.md
// between its markers. `--only=hot,memory,scopes,upload,fetch,burst,expiry,bundle` runs a subset.
import { execSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { bundleSize, entries, featureEntries } from "./measure/bundle.ts";
import type { BundleSize } from "./measure/bundle.ts";
import type { BurstResult } from "./measure/burst.ts";
import { measureExpiry } from "./measure/expiry.ts";
import type { ExpiryResult } from "./measure/expiry.ts";
import { measureHot } from "./measure/hot.ts";
import type { HotResult } from "./measure/hot.ts";
import { measureAlloc, measureRetained } from "./measure/memory.ts";
import type { AllocResult } from "./measure/memory.ts";
import { measureThroughput } from "./measure/throughput.ts";
import type { ThroughputResult } from "./measure/throughput.ts";
import { clientId, clientSecret, startTokenServer } from "./server.ts";
import type { TokenServer } from "./server.ts";
import { loadSubjects } from "./subjects/index.ts";
import type { Env, Instance, Subject } from "./subjects/index.ts";

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const want = (part: string) => !only || only.includes(part);
const write = args.includes("--write");
const started = performance.now();
const log = (msg: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

const { subjects, failed } = await loadSubjects();
for (const f of failed) log(`${f.name}: not loaded: ${f.reason}`);
const names = [...subjects.map((s) => s.name), ...failed.map((f) => f.name)];

const server = await startTokenServer();
const env = (lifetimeS: number): Env => ({
  origin: server.origin,
  tokenUrl: server.tokenUrl,
  resourceUrl: server.resourceUrl,
  clientId,
  clientSecret,
  lifetimeS,
});

async function fresh(subject: Subject, lifetimeS: number): Promise<Instance> {
  server.setLifetime(lifetimeS);
  return subject.create(env(lifetimeS));
}

const errors = new Map<string, string>(); // "part|subject" -> message
const note = (part: string, name: string, e: unknown) => {
  const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  errors.set(`${part}|${name}`, msg);
  log(`${part} ${name}: ${msg}`);
};

// 1. Hot path: one instance per subject, a cached hour-long token.
let hot: HotResult | undefined;
// Kept for the allocation count: a second instance of a closure-based adapter shares the first
// one's feedback and would be measured in less optimized code (3 to 4 times the bytes per call).
let hotInstances: { name: string; instance: Instance }[] = [];
if (want("hot")) {
  const instances: { name: string; instance: Instance }[] = [];
  for (const s of subjects) {
    try {
      const instance = await fresh(s, 3600);
      await instance.getToken();
      instances.push({ name: s.name, instance });
    } catch (e) {
      note("hot", s.name, e);
    }
  }
  log("hot path: getToken() with a cached token");
  hot = await measureHot(instances.map(({ name, instance }) => ({ name, fn: () => instance.getToken() })));
  hotInstances = instances;
}

// 1a. Memory: GCs on the hot path, then heap retained per instance holding a token.
let alloc: AllocResult | undefined;
const retained = new Map<string, number>(); // name -> bytes per instance
const retainedCount = 1000;
if (want("memory")) {
  const instances = hotInstances;
  if (!want("hot")) for (const s of subjects) {
    try {
      const instance = await fresh(s, 3600);
      await instance.getToken();
      instances.push({ name: s.name, instance });
    } catch (e) {
      note("memory", s.name, e);
    }
  }
  log("memory: garbage collections during 1,000,000 cached getToken() calls");
  alloc = await measureAlloc(instances.map(({ name, instance }) => ({ name, fn: () => instance.getToken() })));
  server.setLifetime(3600);
  for (const s of subjects) {
    log(`memory: heap retained by ${retainedCount} instances holding a token: ${s.name}`);
    try {
      retained.set(
        s.name,
        await measureRetained(
          async () => {
            const instance = await s.create(env(3600));
            await instance.getToken();
            return instance;
          },
          (instance) => instance.close(),
          { count: retainedCount, settle: () => server.forget() },
        ),
      );
    } catch (e) {
      note("retained", s.name, e);
    }
  }
}

for (const { instance } of hotInstances) await instance.close();

// 1b. Heap retained by thousands of distinct per-call scopes (tokenkeeper caches per scope set;
// the peers keep no per-scope cache). In a child process with --expose-gc.
let scopes: { distinct: number; failingBytes: number; servedBytes: number } | undefined;
if (want("scopes")) {
  log("memory: heap retained by 20,000 distinct per-call scopes (tokenkeeper)");
  const script = fileURLToPath(new URL("measure/scope-memory.ts", import.meta.url));
  const output = execSync(`"${process.execPath}" --expose-gc --import tsx "${script}" 20000`, { encoding: "utf8" });
  scopes = JSON.parse(output.trim().split("\n").pop()!) as typeof scopes;
}

// 1c. Heap growth during a 300 MiB streamed upload: raw fetch and keeper.fetch (tokenkeeper),
// over Node's fetch and over a fetch that keeps no copy of its own. In child processes with
// --expose-gc.
let upload: { mib: number; rawBytes: number; keeperBytes: number; rawNoCopyBytes: number; keeperNoCopyBytes: number } | undefined;
if (want("upload")) {
  log("memory: heap growth during a 300 MiB streamed upload (raw fetch, tokenkeeper)");
  const script = fileURLToPath(new URL("measure/upload-memory.ts", import.meta.url));
  const output = execSync(`"${process.execPath}" --expose-gc --import tsx "${script}" 300`, { encoding: "utf8" });
  upload = JSON.parse(output.trim().split("\n").pop()!) as typeof upload;
}

// 1b. fetch throughput, against a token server and resource in another process.
let through: ThroughputResult | undefined;
if (want("fetch")) {
  log("fetch throughput against raw fetch");
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("serve-child.ts", import.meta.url))], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(String(d).trim()));
      child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const remote: Env = { ...env(3600), origin, tokenUrl: `${origin}/token`, resourceUrl: `${origin}/resource` };
    const res = await fetch(remote.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    const init = { headers: { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` } };
    const url = remote.resourceUrl;
    const usable: { name: string; instance: Instance }[] = [];
    for (const s of subjects) {
      try {
        const instance = await s.create(remote);
        const r = await instance.fetch(url);
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`resource answered ${r.status}`);
        usable.push({ name: s.name, instance });
      } catch (e) {
        note("fetch", s.name, e);
      }
    }
    through = await measureThroughput(
      () => fetch(url, init),
      usable.map(({ name, instance }) => ({ name, fn: () => instance.fetch(url) })),
    );
    for (const { instance } of usable) await instance.close();
  } finally {
    child.stdin.end();
  }
}

// 3 uses a token server per subject, closed afterwards, so nothing pending leaks into the next one.
async function isolated<T>(lifetimeS: number, subject: Subject, run: (i: Instance, s: TokenServer) => Promise<T>): Promise<T> {
  const own = await startTokenServer();
  own.setLifetime(lifetimeS);
  try {
    const instance = await subject.create({ ...env(lifetimeS), origin: own.origin, tokenUrl: own.tokenUrl, resourceUrl: own.resourceUrl });
    try {
      return await run(instance, own);
    } finally {
      await instance.close();
    }
  } finally {
    await own.close();
  }
}

// 2. Burst: 10,000 concurrent getToken() on a cold cache, each subject in a process of its own.
const burst = new Map<string, BurstResult>();
if (want("burst")) {
  for (const s of subjects) {
    log(`burst: ${s.name}`);
    try {
      burst.set(s.name, await burstInChild(s.name));
    } catch (e) {
      note("burst", s.name, e);
    }
  }
}

async function burstInChild(name: string): Promise<BurstResult> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("burst-child.ts", import.meta.url)), name], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(killer);
  const line = out.trim().split("\n").pop();
  if (code !== 0 || !line) throw new Error(`burst process exited with ${code}: ${err.trim().split("\n").pop() ?? ""}`);
  return JSON.parse(line) as BurstResult;
}

// 3. Expiry under load: 2 s tokens, 20 workers, 10 s.
const expiry = new Map<string, ExpiryResult>();
if (want("expiry")) {
  for (const s of subjects) {
    log(`expiry under load: ${s.name}`);
    try {
      expiry.set(s.name, await isolated(2, s, (i, own) => measureExpiry(i, own)));
    } catch (e) {
      note("expiry", s.name, e);
    }
  }
}

// 4. Bundle size.
const bundles = new Map<string, { browser: BundleSize; neutral: BundleSize }>();
if (want("bundle")) {
  log("bundle sizes");
  for (const name of names) {
    const file = entries[name];
    if (file) bundles.set(name, { browser: await bundleSize(file, "browser"), neutral: await bundleSize(file, "neutral") });
  }
}
const tokenOnly = want("bundle") ? await bundleSize("get-token.ts", "neutral") : undefined;

await server.close();

// The table: one column per subject, one row per measurement, the target last.
const cell = (v: string | undefined, part: string, name: string) =>
  v ?? (errors.has(`${part}|${name}`) ? `error: ${errors.get(`${part}|${name}`)!.slice(0, 60)}` : "n/a");
const kb = (b: BundleSize | undefined) =>
  b === undefined ? undefined : b.gzipped !== undefined ? `${(b.gzipped / 1024).toFixed(2)} KB` : `n/a: ${b.na}`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const rows: [string, (name: string) => string, string][] = [];
if (hot) {
  rows.push([
    `Hot path: \`getToken()\`, cached (floor ${hot.floorNs.toFixed(0)} ns; floor with a \`Date.now()\` check ${hot.clockFloorNs.toFixed(0)} ns, ${hot.clockFloorRatio.toFixed(2)}×)`,
    (n) => {
      const h = hot!.subjects.get(n);
      return cell(h && `${h.ns.toFixed(0)} ns (${h.ratio.toFixed(2)}×)`, "hot", n);
    },
    "≤ 1.5× floor",
  ]);
}
if (alloc) {
  const a = alloc;
  const b = (x: number) => (Number.isNaN(x) ? "?" : `${x.toFixed(0)} B`);
  const ratio = (x: number) => (x / Math.max(a.floor.scavenges, 1)).toFixed(2);
  rows.push([
    `Memory: scavenges (minor GCs) during 1,000,000 cached \`getToken()\`; allocated per call (floor ${a.floor.scavenges}, ${b(a.floor.bytesPerCall)}; floor with a \`Date.now()\` check ${a.clockFloor.scavenges} (${ratio(a.clockFloor.scavenges)}×), ${b(a.clockFloor.bytesPerCall)})`,
    (n) => {
      const r = a.subjects.get(n);
      return cell(r && `${r.scavenges} (${ratio(r.scavenges)}×); ${b(r.bytesPerCall)}`, "memory", n);
    },
    "0",
  ]);
}
if (want("memory")) {
  const base = retained.get("tokenkeeper");
  rows.push([
    `Memory: heap retained per instance holding a token (${retainedCount.toLocaleString("en")} instances)`,
    (n) => {
      const b = retained.get(n);
      return cell(b === undefined ? undefined : `${(b / 1024).toFixed(1)} KB${base ? ` (${(b / base).toFixed(2)}×)` : ""}`, "retained", n);
    },
    "—",
  ]);
}
if (through) {
  rows.push([
    `\`fetch\` throughput vs raw \`fetch\` (raw ${through.rawRps.toFixed(0)} req/s)`,
    (n) => {
      const t = through!.subjects.get(n);
      return cell(t && `${pct(t.ratio)} (${t.rps.toFixed(0)} req/s)`, "fetch", n);
    },
    "≥ 98 %",
  ]);
  rows.push([
    `\`fetch\`: client CPU per request (raw ${through.rawCpuUs.toFixed(0)} µs)`,
    (n) => {
      const t = through!.subjects.get(n);
      return cell(t && `${t.cpuUs.toFixed(0)} µs (${t.cpuRatio.toFixed(2)}×)`, "fetch", n);
    },
    "—",
  ]);
}
if (want("burst")) {
  rows.push([
    "Burst: token requests for 10,000 concurrent `getToken()`",
    (n) => {
      const b = burst.get(n);
      return cell(
        b && `${b.timedOut ? "≥ " : ""}${b.tokenRequests}${b.failed ? ` (${b.failed} calls failed)` : ""}${b.timedOut ? ` (cut at ${(b.ms / 1000).toFixed(0)} s)` : ""}`,
        "burst",
        n,
      );
    },
    "1",
  ]);
}
if (want("expiry")) {
  const e = (n: string, f: (r: ExpiryResult) => string) => {
    const r = expiry.get(n);
    return cell(r && f(r), "expiry", n);
  };
  rows.push(["Expiry (2 s tokens, 20 workers, 10 s): token requests", (n) => e(n, (r) => `${r.tokenRequests}`), "—"]);
  rows.push([
    "Expiry: resource calls rejected as expired",
    (n) => e(n, (r) => `${r.expired} of ${r.calls}${r.errors ? ` (${r.errors} getToken errors)` : ""}`),
    "0",
  ]);
  rows.push([
    "Expiry: calls that waited on a refresh after warm-up",
    (n) => e(n, (r) => `${r.waited} of ${r.afterWarmup}`),
    "0",
  ]);
}
if (want("scopes") && scopes) {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
  rows.push([
    `Heap retained by ${scopes.distinct.toLocaleString("en")} more distinct per-call scopes (failing / served)`,
    (n) => (n === "tokenkeeper" ? `${mb(scopes!.failingBytes)} / ${mb(scopes!.servedBytes)}` : "n/a (no per-scope cache)"),
    "bounded",
  ]);
}
if (want("upload") && upload) {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const u = upload;
  rows.push([
    `Memory: heap growth during a ${u.mib} MiB streamed \`Request\` upload, over Node's fetch / over a fetch that keeps no copy (raw \`fetch\` ${mib(u.rawBytes)} / ${mib(u.rawNoCopyBytes)})`,
    (n) => (n === "tokenkeeper" ? `${mib(u.keeperBytes)} / ${mib(u.keeperNoCopyBytes)}` : "n/a (no upload call)"),
    "raw fetch's",
  ]);
}
if (want("bundle")) {
  rows.push(["Bundle (quick start), browser, min+gzip", (n) => kb(bundles.get(n)?.browser) ?? "n/a", "≤ 14 KB"]);
  rows.push(["Bundle (quick start), neutral, min+gzip", (n) => kb(bundles.get(n)?.neutral) ?? "n/a", "≤ 14 KB"]);
  // The peers' entries get one token and call nothing: the same as tokenkeeper's createTokenProvider().
  rows.push([
    "Bundle (a token only: tokenkeeper's `createTokenProvider()`; the peers' entries above), neutral, min+gzip",
    (n) => kb(n === "tokenkeeper" ? tokenOnly : bundles.get(n)?.neutral) ?? "n/a",
    "≤ 12 KB",
  ]);
}
for (const f of failed) errors.set(`load|${f.name}`, f.reason);

// tokenkeeper's optional features: each bundled with the quick start, and what it adds.
let featureTable = "";
if (want("bundle")) {
  log("bundle sizes: tokenkeeper's features");
  const sizes = new Map<string, { browser: BundleSize; neutral: BundleSize }>();
  for (const [feature, file] of Object.entries(featureEntries)) {
    sizes.set(feature, { browser: await bundleSize(file, "browser"), neutral: await bundleSize(file, "neutral") });
  }
  const base = sizes.get("quick start")!.neutral.gzipped ?? 0;
  featureTable = [
    "| tokenkeeper bundle | browser, min+gzip | neutral, min+gzip | added to the quick start |",
    "|---|---|---|---|",
    ...[...sizes].map(([feature, s]) => `| ${feature} | ${kb(s.browser) ?? "n/a"} | ${kb(s.neutral) ?? "n/a"} | ${feature === "quick start" ? "—" : `${(((s.neutral.gzipped ?? 0) - base) / 1024).toFixed(1)} KB`} |`),
  ].join("\n");
}

const table = [
  `| | ${names.join(" | ")} | target |`,
  `|---|${names.map(() => "---").join("|")}|---|`,
  ...rows.map(([label, f, target]) => `| ${label} | ${names.map((n) => (failed.some((x) => x.name === n) ? "not loaded" : f(n))).join(" | ")} | ${target} |`),
].join("\n");

const cpu = (() => {
  try {
    return execSync("lscpu", { encoding: "utf8" }).match(/Model name:\s*(.+)/)?.[1]?.trim();
  } catch {
    return undefined;
  }
})() ?? os.cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const seconds = ((performance.now() - started) / 1000).toFixed(0);
const stamp = `Ran ${new Date().toISOString().slice(0, 10)} on ${machine}; the run took ${seconds} s.`;

process.stdout.write(`\n${table}\n\n${featureTable}\n\n${stamp}\n`);
for (const f of failed) process.stdout.write(`not loaded: ${f.name}: ${f.reason}\n`);

if (write) {
  const path = new URL("../BENCHMARKS.md", import.meta.url);
  const doc = readFileSync(path, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error("BENCHMARKS.md has no bench:start/bench:end markers");
  let updated = `${doc.slice(0, a + start.length)}\n${table}\n\n${stamp}\n${doc.slice(b)}`;
  const [fa, fb] = [updated.indexOf("<!-- features:start -->"), updated.indexOf("<!-- features:end -->")];
  if (featureTable && fa >= 0 && fb > fa) updated = `${updated.slice(0, fa + 23)}\n${featureTable}\n${updated.slice(fb)}`;
  writeFileSync(path, updated);
  log("BENCHMARKS.md updated");
}
