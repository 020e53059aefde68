#!/usr/bin/env node
// Runs scripts/runtime-probe.ts on Node (tsx), Deno, Bun and workerd (miniflare) against two local
// HTTP origins, and prints what differs. A fact-finding tool, not a test: `node scripts/runtime-probe.mjs`.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, "127.0.0.1", () => resolve(server));
  });
}
const b = await listen((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ authorization: req.headers.authorization ?? null, body, method: req.method }));
  });
});
const bUrl = `http://localhost:${b.address().port}`; // another host and port: another origin
const a = await listen((req, res) => {
  if (req.url === "/redirect307") return res.writeHead(307, { location: `${bUrl}/echo` }).end();
  if (req.url === "/redirect307same") return res.writeHead(307, { location: "/echo" }).end();
  if (req.url === "/slow") return void setTimeout(() => res.end("late"), 1500);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ authorization: req.headers.authorization ?? null, body: "", method: req.method }));
});
const aUrl = `http://127.0.0.1:${a.address().port}`;
const closed = await listen(() => {});
const closedUrl = `http://127.0.0.1:${closed.address().port}`;
await new Promise((r) => closed.close(r));

const main = `import { probe } from "./runtime-probe.ts";
console.log(JSON.stringify(await probe(${JSON.stringify(aUrl)}, ${JSON.stringify(bUrl)}, ${JSON.stringify(closedUrl)})));`;
const results = {};
const run = async (name, cmd, args) => {
  const child = await new Promise((resolve) => {
    import("node:child_process").then(({ spawn }) => {
      const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      p.stdout.on("data", (c) => (out += c));
      p.stderr.on("data", (c) => (err += c));
      p.on("close", (code) => resolve({ out, err, code }));
    });
  });
  try { results[name] = JSON.parse(child.out.trim().split("\n").pop()); } catch { results[name] = { error: child.err.slice(0, 300) }; }
};
const { writeFileSync, rmSync } = await import("node:fs");
writeFileSync("scripts/.runtime-probe-main.ts", main);
try {
  await run("node", "node", ["node_modules/tsx/dist/cli.mjs", "scripts/.runtime-probe-main.ts"]);
  await run("deno", "node_modules/.bin/deno", ["run", "-A", "scripts/.runtime-probe-main.ts"]);
  await run("bun", "node_modules/.bin/bun", ["scripts/.runtime-probe-main.ts"]);
} finally {
  rmSync("scripts/.runtime-probe-main.ts");
}
const bundled = await build({
  stdin: { contents: `import { probe } from "./scripts/runtime-probe.ts";
    export default { async fetch() { return Response.json(await probe(${JSON.stringify(aUrl)}, ${JSON.stringify(bUrl)}, ${JSON.stringify(closedUrl)})); } };`, resolveDir: process.cwd(), loader: "ts" },
  bundle: true, write: false, format: "esm", platform: "browser",
});
const mf = new Miniflare({ modules: true, script: bundled.outputFiles[0].text, compatibilityDate: "2026-04-26" });
try { results.workerd = await (await mf.dispatchFetch("http://localhost/")).json(); } catch (e) { results.workerd = { error: String(e) }; }
await mf.dispose();
a.close(); b.close(); a.closeAllConnections?.();
const keys = [...new Set(Object.values(results).flatMap((r) => Object.keys(r)))];
for (const key of keys) {
  console.log(`\n${key}`);
  for (const [name, r] of Object.entries(results)) console.log(`  ${name.padEnd(8)} ${r[key] ?? "-"}`);
}
process.exit(0);
