// The test command itself (scripts/test.mjs): its help, how it runs steps side by side
// (scripts/lanes.mjs), the provisioning it does before the steps (scripts/needs.mjs,
// scripts/provision.mjs), and the checkout it leaves clean. The decisions are driven with fakes that record what would run; one
// test makes a real venv in a temporary folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Cpu } from "../../scripts/lanes.d.mts";
import { runInLanes } from "../../scripts/lanes.mjs";
import type { Host, Need } from "../../scripts/needs.d.mts";
import { needs } from "../../scripts/needs.mjs";
import { provision, resolveNeeds, systemHost } from "../../scripts/provision.mjs";
import { cpu, lanes, stepNeeds, steps } from "../../scripts/test-steps.mjs";

const test = suite("the test command");
const root = fileURLToPath(new URL("../../", import.meta.url));

const list: Need[] = [
  { name: "redis", why: "the Redis tests start one", check: ["check", "redis"], debian: ["redis-server"] },
  { name: "venv-module", why: "a venv needs it", check: ["check", "venv-module"], debian: ["python3", "python3-venv"] },
  { name: "venv", why: "Authlib runs in it", check: ["check", "venv"], make: ["make", "venv"], needs: ["venv-module"] },
];
/** Which need each Debian package meets, in the fake machine. */
const meets: Record<string, string> = { "redis-server": "redis", "python3-venv": "venv-module" };

/** A machine where the needs in `met` are met; it records every command and meets needs as apt-get and make would. */
function fakeHost({ met = [] as string[], root = true, apt = true, makeFails = false, aptMeetsNothing = false } = {}) {
  const present = new Set(met);
  const ran: string[] = [];
  let written = "";
  const host: Host = {
    isRoot: root,
    write: (text) => void (written += text),
    async run(argv, options) {
      const line = argv.join(" ");
      ran.push(options?.env?.["DEBIAN_FRONTEND"] ? `${line} [${options.env["DEBIAN_FRONTEND"]}]` : line);
      if (argv[0] === "check") return { code: present.has(argv[1]!) ? 0 : 1, output: "" };
      if (line === "sh -c command -v apt-get") return { code: apt ? 0 : 1, output: "" };
      if (line === "apt-get update -qq") return { code: 0, output: "" };
      if (argv[0] === "apt-get" && argv[1] === "install") {
        if (!aptMeetsNothing) for (const pkg of argv.slice(4)) if (meets[pkg]) present.add(meets[pkg]);
        return { code: 0, output: "" };
      }
      if (line === "make venv") {
        if (makeFails || !present.has("venv-module")) return { code: 1, output: "Error: Command '['.venv/bin/python', '-m', 'ensurepip']' returned non-zero exit status 1." };
        present.add("venv");
        return { code: 0, output: "" };
      }
      throw new Error(`the fake machine cannot run ${line}`);
    },
  };
  return { host, ran, written: () => written };
}

test("with every need met, provisioning runs the checks only and writes nothing", async () => {
  const { host, ran, written } = fakeHost({ met: ["redis", "venv-module", "venv"] });
  assert.equal(await provision(resolveNeeds(list, ["redis", "venv"]), host), { ok: true });
  assert.equal(ran, ["check redis", "check venv-module", "check venv"]);
  assert.is(written(), "");
});

test("as root, a missing Debian package is installed with apt-get update and apt-get install -y, then checked again", async () => {
  const { host, ran, written } = fakeHost({ met: [] });
  assert.equal(await provision(resolveNeeds(list, ["redis"]), host), { ok: true });
  assert.equal(ran, [
    "check redis",
    "sh -c command -v apt-get",
    "apt-get update -qq [noninteractive]",
    "apt-get install -y -qq redis-server [noninteractive]",
    "check redis",
  ]);
  assert.match(written(), "missing: redis (the Redis tests start one)");
  assert.match(written(), "provided: redis");
});

test("not as root, it stops before installing or making anything and prints the exact command to run", async () => {
  const { host, ran } = fakeHost({ root: false });
  const result = await provision(resolveNeeds(list, ["redis", "venv"]), host);
  assert.is(result.ok, false);
  assert.match((result as { message: string }).message, "\n  sudo apt-get update && sudo apt-get install -y redis-server python3 python3-venv");
  assert.equal(ran.filter((line) => !line.startsWith("check ") && line !== "sh -c command -v apt-get"), []);
});

test("not as root, a missing venv is made when python3 with venv is there: making it needs no root", async () => {
  const { host, ran } = fakeHost({ root: false, met: ["venv-module"] });
  assert.equal(await provision(resolveNeeds(list, ["venv"]), host), { ok: true });
  assert.equal(ran, ["check venv-module", "check venv", "make venv", "check venv"]);
});

test("as root, python3-venv is installed first, then the venv is made, then both are checked", async () => {
  const { host, ran } = fakeHost();
  assert.equal(await provision(resolveNeeds(list, ["venv"]), host), { ok: true });
  assert.equal(ran, [
    "check venv-module",
    "check venv",
    "sh -c command -v apt-get",
    "apt-get update -qq [noninteractive]",
    "apt-get install -y -qq python3 python3-venv [noninteractive]",
    "make venv",
    "check venv-module",
    "check venv",
  ]);
});

test("without apt-get it stops and names the Debian packages that would meet the needs", async () => {
  const { host, ran } = fakeHost({ apt: false });
  const result = await provision(resolveNeeds(list, ["redis"]), host);
  assert.is(result.ok, false);
  assert.match((result as { message: string }).message, /no apt-get.*redis-server/);
  assert.not.ok(ran.some((line) => line.startsWith("apt-get")));
});

test("a need still missing after its packages are installed stops the run, naming its check", async () => {
  const { host } = fakeHost({ aptMeetsNothing: true });
  const result = await provision(resolveNeeds(list, ["redis"]), host);
  assert.equal(result, { ok: false, message: "redis is still missing after provisioning (the Redis tests start one): check redis exits non-zero" });
});

test("a make command that fails stops the run with its output", async () => {
  const { host } = fakeHost({ met: ["venv-module"], makeFails: true });
  const result = await provision(resolveNeeds(list, ["venv"]), host);
  assert.is(result.ok, false);
  assert.match((result as { message: string }).message, /^venv: make venv exited with 1:\n {4}Error: Command/);
});

test("resolveNeeds() puts every need after the needs it needs, each once, and refuses a name not in the list", () => {
  assert.equal(resolveNeeds(list, ["venv", "redis", "venv-module"]).map((n) => n.name), ["venv-module", "venv", "redis"]);
  assert.throws(() => resolveNeeds(list, ["ruby"]), /a step needs "ruby", which scripts\/needs.mjs does not list/);
});

test("the steps name needs that scripts/needs.mjs lists, each with a check and a way to meet it", () => {
  const names = needs.map((n) => n.name);
  assert.equal(names.length, new Set(names).size, "one entry per need");
  for (const need of needs) {
    assert.ok(need.check.length > 0 && need.why.length > 0, need.name);
    assert.ok((need.debian?.length ?? 0) > 0 || (need.make?.length ?? 0) > 0, `${need.name}: no Debian package and no make command`);
  }
  for (const step of steps) resolveNeeds(needs, stepNeeds[step.name] ?? []);
  const needsOf = (file: string) => steps.filter((s) => s.args.includes(file)).flatMap((s) => stepNeeds[s.name] ?? []);
  assert.equal(needsOf("test/node/store-redis.test.ts"), ["redis-server"]);
  assert.equal(needsOf("examples/shared/run-all.ts"), ["redis-server"]);
  assert.equal(needsOf("test/interop/run.ts"), ["authlib-venv", "openssl"]);
});

test("a missing venv is made for real: the check fails, scripts/interop-python.sh runs, the check passes", async () => {
  const venv = mkdtempSync(join(tmpdir(), "tokenkeeper-venv-"));
  rmSync(venv, { recursive: true });
  const [authlibVenv] = resolveNeeds(needs, ["authlib-venv"]).filter((n) => n.name === "authlib-venv");
  const real = systemHost();
  let written = "";
  const host: Host = { ...real, write: (text) => void (written += text) };
  process.env["INTEROP_VENV"] = venv;
  try {
    assert.is.not((await real.run(authlibVenv!.check)).code, 0, "no venv yet: the check fails");
    assert.equal(await provision([authlibVenv!], host), { ok: true });
    assert.match(written, "authlib-venv: bash scripts/interop-python.sh");
    assert.ok(existsSync(join(venv, "bin/python")), "the venv was made where INTEROP_VENV says");
    assert.is((await real.run(authlibVenv!.check)).code, 0, "and it holds Authlib and Flask");
  } finally {
    delete process.env["INTEROP_VENV"];
    rmSync(venv, { recursive: true, force: true });
  }
});

test("node scripts/test.mjs --help prints the usage and exits 0; an unknown option exits 2", () => {
  const help = spawnSync(process.execPath, ["scripts/test.mjs", "--help"], { cwd: root, encoding: "utf8" });
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: node scripts\/test\.mjs /);
  const wrong = spawnSync(process.execPath, ["scripts/test.mjs", "--frobnicate"], { cwd: root, encoding: "utf8" });
  assert.is(wrong.status, 2);
  assert.match(wrong.stderr, "unknown option --frobnicate");
});

interface FakeStep {
  name: string;
  lane: string;
  cpu: Cpu;
}

/** Runs fake steps in lanes; each runs until the test finishes it, and every start records what runs. */
function fakeLanes(list: FakeStep[], slots = 2) {
  const running = new Set<string>();
  const starts: string[][] = [];
  const finishers = new Map<string, () => void>();
  const done = runInLanes(list, {
    slots,
    order: ["timing", "conformance", "build", "checks"],
    laneOf: (s) => s.lane,
    cpuOf: (s) => s.cpu,
    run: (s) => new Promise<string>((resolve) => {
      running.add(s.name);
      starts.push([...running].sort());
      finishers.set(s.name, () => {
        running.delete(s.name);
        resolve(s.name);
      });
    }),
  });
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return {
    done,
    running: () => [...running].sort(),
    starts,
    async finish(name: string) {
      const finisher = finishers.get(name);
      if (!finisher) throw new Error(`${name} is not running`);
      finisher();
      await settled();
    },
  };
}

test("lanes run side by side, each lane's steps one after another in list order, busy steps within the slots", async () => {
  const lanes = fakeLanes([
    { name: "b1", lane: "build", cpu: "busy" },
    { name: "b2", lane: "build", cpu: "busy" },
    { name: "k1", lane: "checks", cpu: "busy" },
    { name: "c1", lane: "conformance", cpu: "light" },
    { name: "c2", lane: "conformance", cpu: "light" },
    { name: "x1", lane: "extra", cpu: "busy" },
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lanes.running(), ["b1", "c1", "k1"], "two busy steps on two cores, and the light one beside them");
  await lanes.finish("c1");
  assert.equal(lanes.running(), ["b1", "c2", "k1"]);
  await lanes.finish("b1");
  assert.equal(lanes.running(), ["b2", "c2", "k1"], "the build lane, listed before the extra one, gets the free core");
  await lanes.finish("k1");
  assert.equal(lanes.running(), ["b2", "c2", "x1"]);
  for (const name of ["b2", "c2", "x1"]) await lanes.finish(name);
  assert.equal([...(await lanes.done).values()].sort(), ["b1", "b2", "c1", "c2", "k1", "x1"]);
});

test("an alone step runs beside light steps only: busy steps drain and none starts while it is next, then they resume", async () => {
  const lanes = fakeLanes([
    { name: "t1", lane: "timing", cpu: "light" },
    { name: "t2", lane: "timing", cpu: "alone" },
    { name: "t3", lane: "timing", cpu: "light" },
    { name: "c1", lane: "conformance", cpu: "light" },
    { name: "b1", lane: "build", cpu: "busy" },
    { name: "b2", lane: "build", cpu: "busy" },
    { name: "k1", lane: "checks", cpu: "busy" },
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lanes.running(), ["b1", "c1", "k1", "t1"]);
  await lanes.finish("t1");
  await lanes.finish("b1");
  assert.equal(lanes.running(), ["c1", "k1"], "b2 waits: t2 is next and waits for the busy steps to end");
  await lanes.finish("k1");
  assert.equal(lanes.running(), ["c1", "t2"]);
  await lanes.finish("t2");
  assert.equal(lanes.running(), ["b2", "c1", "t3"]);
  for (const name of ["b2", "c1", "t3"]) await lanes.finish(name);
  await lanes.done;
  const busy = new Set(["b1", "b2", "k1"]);
  for (const running of lanes.starts) {
    if (running.includes("t2")) assert.equal(running.filter((n) => busy.has(n)), [], `t2 ran beside ${running}`);
    assert.ok(running.filter((n) => busy.has(n)).length <= 2, `more busy steps than cores: ${running}`);
  }
});

test("every step is in one lane, every step name in the lanes and tables is a step, and the alone steps are the mutants, the Redis fleet and the real servers", () => {
  const names = steps.map((s) => s.name);
  const placed = Object.values(lanes).flat();
  assert.equal(placed.filter((name, i) => placed.indexOf(name) !== i), [], "a step in two lanes");
  assert.equal(names.filter((name) => !placed.includes(name)), [], "steps in no lane of scripts/test-steps.mjs");
  for (const name of [...placed, ...Object.keys(cpu), ...Object.keys(stepNeeds)]) assert.ok(names.includes(name), `no step is named "${name}"`);
  assert.equal(Object.keys(cpu).filter((name) => cpu[name] === "alone"), ["node: conformance mutants", "node: stores (redis)", "node: real authorization servers"]);
});

test("a tarball npm pack leaves in the checkout is git-ignored, so deno publish --dry-run still finds the tree clean", () => {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  for (const tarball of [`tokenkeeper-${version}.tgz`, `tokenkeeper-conformance-${version}.tgz`]) {
    const ignored = spawnSync("git", ["check-ignore", "--no-index", "--quiet", tarball], { cwd: root });
    assert.is(ignored.status, 0, `${tarball} is not git-ignored`);
  }
});

test.run();
