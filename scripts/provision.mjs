// Meets the needs (scripts/needs.mjs) of the steps `npm test` is about to run, before any of
// them: checks each need, installs the Debian packages of the missing ones with apt-get when
// running as root (otherwise stops and says which command to run), runs their `make` commands,
// and checks them again. The decisions are here and take a host (what runs commands, whether
// this is root), so a test can drive them with a fake one; systemHost() is the real host.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const APT_ENV = { DEBIAN_FRONTEND: "noninteractive" };

/**
 * The needs `names` stand for, with the needs they need, each once, every need after those it
 * needs.
 *
 * @param {readonly import("./needs.d.mts").Need[]} list
 * @param {readonly string[]} names
 * @returns {import("./needs.d.mts").Need[]}
 */
export function resolveNeeds(list, names) {
  const byName = new Map(list.map((need) => [need.name, need]));
  /** @type {import("./needs.d.mts").Need[]} */
  const out = [];
  const visit = (name, from) => {
    const need = byName.get(name);
    if (need === undefined) throw new Error(`${from} needs "${name}", which scripts/needs.mjs does not list`);
    if (out.includes(need)) return;
    for (const dep of need.needs ?? []) visit(dep, `need "${need.name}"`);
    out.push(need);
  };
  for (const name of names) visit(name, "a step");
  return out;
}

const tail = (text, lines = 30) => text.trimEnd().split("\n").slice(-lines).map((l) => `    ${l}`).join("\n");
const shown = (argv) => argv.map((a) => (/^[\w./:=@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");

/**
 * Checks the needs and provisions the missing ones. Writes nothing when every need is met.
 *
 * @param {readonly import("./needs.d.mts").Need[]} needs The needs to meet, in order (resolveNeeds()).
 * @param {import("./needs.d.mts").Host} host
 * @returns {Promise<{ ok: true } | { ok: false, message: string }>} `ok: false` with what to do
 *   when a need cannot be met here (not root, no apt-get, a command failed, still missing).
 */
export async function provision(needs, host) {
  const missing = [];
  for (const need of needs) if ((await host.run(need.check)).code !== 0) missing.push(need);
  if (missing.length === 0) return { ok: true };
  host.write(`\n=== provisioning ===\n${missing.map((n) => `missing: ${n.name} (${n.why})\n`).join("")}`);

  const packages = [...new Set(missing.flatMap((n) => n.debian ?? []))];
  if (packages.length > 0) {
    const list = packages.join(" ");
    const apt = (await host.run(["sh", "-c", "command -v apt-get"])).code === 0;
    if (!apt) {
      return { ok: false, message: `npm test needs ${missing.filter((n) => n.debian).map((n) => n.name).join(", ")}, and this machine has no apt-get: install what the Debian packages ${list} provide, then run npm test again` };
    }
    if (!host.isRoot) {
      return { ok: false, message: `npm test needs Debian packages that are not installed (${list}); run as root, then npm test again:\n  sudo apt-get update && sudo apt-get install -y ${list}` };
    }
    host.write(`apt-get install -y ${list}\n`);
    for (const argv of [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", ...packages]]) {
      const ran = await host.run(argv, { env: APT_ENV, capture: true });
      if (ran.code !== 0) return { ok: false, message: `${shown(argv)} exited with ${ran.code}:\n${tail(ran.output)}` };
    }
  }
  for (const need of missing.filter((n) => n.make)) {
    host.write(`${need.name}: ${shown(need.make)}\n`);
    const ran = await host.run(need.make, { capture: true });
    if (ran.code !== 0) return { ok: false, message: `${need.name}: ${shown(need.make)} exited with ${ran.code}:\n${tail(ran.output)}` };
  }
  const still = [];
  for (const need of missing) if ((await host.run(need.check)).code !== 0) still.push(need);
  if (still.length > 0) {
    return { ok: false, message: still.map((n) => `${n.name} is still missing after provisioning (${n.why}): ${shown(n.check)} exits non-zero`).join("\n") };
  }
  host.write(`provided: ${missing.map((n) => n.name).join(", ")}\n`);
  return { ok: true };
}

/**
 * The real host: commands run from the repository root with the process's environment, output
 * kept only when `capture` asks for it.
 *
 * @returns {import("./needs.d.mts").Host}
 */
export function systemHost() {
  return {
    isRoot: process.getuid?.() === 0,
    write: (text) => void process.stdout.write(text),
    run: (argv, { env = {}, capture = false } = {}) =>
      new Promise((resolve) => {
        const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", capture ? "pipe" : "ignore", capture ? "pipe" : "ignore"] });
        let output = "";
        child.stdout?.on("data", (chunk) => (output += chunk));
        child.stderr?.on("data", (chunk) => (output += chunk));
        child.on("error", (error) => resolve({ code: 127, output: `${output}${error.message}\n` }));
        child.on("close", (code) => resolve({ code: code ?? 1, output }));
      }),
  };
}
