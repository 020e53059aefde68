// Forking (PROTOCOL.md, "Forking"): programs whose hello offers to fork, written on the Python
// and Ruby helpers (subjects/python/protocol.py, subjects/ruby/protocol.rb) as the Authlib and
// oauth2 subjects are, their instances forked from the process that answered hello; and tiny
// Node programs that break the rules.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createClock } from "../../fake/clock.ts";
import { createFakeServer } from "../../fake/server.ts";
import { ProcessProtocolError } from "../../process/program.ts";
import { type CommandOptions, subjectFromCommand } from "../../process/subject.ts";
import type { SubjectEnv, SubjectInstance } from "../../types.ts";

const helper = (language: string) => fileURLToPath(new URL(`../../subjects/${language}/`, import.meta.url));

/**
 * Programs on the Python and Ruby helpers (subjects/python/protocol.py, subjects/ruby/protocol.rb):
 * the token says the instance's pid, its parent's pid and how many instances its process has
 * created; the first scope asks for a misdeed instead.
 */
const FORKING: Record<"Python" | "Ruby", string[]> = {
  Python: [
    "/usr/bin/python3",
    "-u",
    "-c",
    `
import os, signal, sys, time
sys.path.insert(0, ${JSON.stringify(helper("python"))})
from protocol import Program

created = 0

class Instance:
    def __init__(self):
        global created
        created += 1

    def get_token(self, call):
        misdeed = (call.get("scope") or [""])[0]
        if misdeed == "exit":
            sys.stderr.write("giving up\\n")
            os._exit(3)
        if misdeed == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if misdeed == "hang":
            time.sleep(3600)
        return {"accessToken": "%d %d %d" % (os.getpid(), os.getppid(), created), "tokenType": "Bearer"}

Program({"protocol": 1, "name": "forking", "capabilities": ["scope"]}, lambda env, proxy, ca: Instance(), lambda e: {"kind": "other", "message": str(e)}).run()
`,
  ],
  Ruby: [
    "/usr/bin/ruby",
    "-e",
    `
$LOAD_PATH.unshift(${JSON.stringify(helper("ruby"))})
require 'protocol'
$created = 0

class Instance
  def initialize
    $created += 1
  end

  def get_token(call)
    misdeed = (call['scope'] || [''])[0]
    if misdeed == 'exit'
      $stderr.puts('giving up')
      exit!(3)
    end
    Process.kill('KILL', Process.pid) if misdeed == 'kill'
    sleep(3600) if misdeed == 'hang'
    { accessToken: "#{Process.pid} #{Process.ppid} #{$created}", tokenType: 'Bearer' }
  end
end

Conformance::Program.new({ protocol: 1, name: 'forking', capabilities: ['scope'] }, ->(_env, _proxy, _ca) { Instance.new }, ->(e) { { kind: 'other', message: e.message } }).run
`,
  ],
};

const quiet: CommandOptions = { onProtocolError: () => {}, spares: 0 };

function env(): SubjectEnv {
  const server = createFakeServer({ clock: createClock() });
  return { fetch: server.fetch, now: () => Date.now(), tokenEndpoint: server.tokenEndpoint, clientId: "c", auth: { method: "client_secret_post", clientSecret: "s3cret-value" }, log: () => {} };
}

/** What an instance's token says about its process. */
async function whoami(instance: SubjectInstance): Promise<{ pid: number; ppid: number; created: number }> {
  const [pid, ppid, created] = (await instance.getToken()).accessToken.split(" ").map(Number) as [number, number, number];
  return { pid, ppid, created };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to 10 s, polling) for every pid to be gone; returns those still running. */
async function gone(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new assert.Assertion({ message: "expected a rejection", expects: "rejection", actual: "resolved", operator: "rejects", generated: false });
}

const test = suite("process subjects: forking");

/** A Node program whose hello says `fork` (as JSON) and which answers `fork` with `onFork`, a function body given `m`. */
function nodeForker(fork: string, onFork = ""): string[] {
  return [process.execPath, "-e", `const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
    require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
      const m = JSON.parse(line);
      if (m.op === "hello") return send({ id: m.id, ok: true, result: { protocol: 1, name: "tiny", capabilities: [], fork: ${fork} } });
      if (m.op === "fork") { ${onFork} }
    });`];
}

test("hello's fork is a boolean when present", async () => {
  const error = await rejection(subjectFromCommand(nodeForker(`"yes"`), quiet));
  assert.match(error.message, /hello's fork is a boolean/);
});

test("a forked child that never connects fails create after the deadline and is killed", async () => {
  // The "child" is a sleep that knows nothing of the socket.
  const program = nodeForker("true", `const c = require("node:child_process").spawn("sleep", ["30"], { stdio: "ignore" }); send({ id: m.id, ok: true, result: { pid: c.pid } });`);
  const subject = await subjectFromCommand(program, { ...quiet, answerTimeoutMs: 500 });
  const error = await rejection(Promise.resolve(subject.create(env())));
  assert.instance(error, ProcessProtocolError);
  assert.match(error.message, /fork: the forked child (\d+) did not connect to .* within 500 ms/);
  const pid = Number(/child (\d+)/.exec(error.message)![1]);
  assert.equal(await gone([pid]), [], "the child that did not connect is killed");
});

for (const [language, command] of Object.entries(FORKING)) {
  test(`${language}: each instance is a child forked from the program that answered hello, with state of its own`, async () => {
    const subject = await subjectFromCommand(command, quiet);
    const [a, b] = await Promise.all([subject.create(env()), subject.create(env())]);
    const [first, second] = [await whoami(a), await whoami(b)];
    assert.is.not(first.pid, second.pid);
    // Not the suite's children (a started program's parent is the suite), and each counts only itself.
    assert.is.not(first.ppid, process.pid);
    assert.is.not(second.ppid, process.pid);
    assert.equal([first.created, second.created], [1, 1]);
    await Promise.all([a.close(), b.close()]);
    assert.equal(await gone([first.pid, second.pid]), [], "closed instances exit");
  });

  test(`${language}: fork: false starts each instance as a program of its own although hello offers to fork`, async () => {
    const started = await subjectFromCommand(command, { ...quiet, fork: false });
    const instance = await started.create(env());
    const me = await whoami(instance);
    assert.is(me.ppid, process.pid);
    assert.is(me.created, 1);
    await instance.close();
  });

  test(`${language}: a forked child that exits fails the waiting request with its exit code and last stderr lines`, async () => {
    const subject = await subjectFromCommand(command, quiet);
    const instance = await subject.create(env());
    const error = await rejection(instance.getToken({ scope: ["exit"] }));
    assert.instance(error, ProcessProtocolError);
    assert.match(error.message, /exited \(code 3\).*giving up/);
    await instance.close();
    // The fork server lives on: the next instance works.
    const next = await subject.create(env());
    assert.is((await whoami(next)).created, 1);
    await next.close();
  });

  test(`${language}: a forked child killed by a signal fails the waiting request naming the signal`, async () => {
    const subject = await subjectFromCommand(command, quiet);
    const instance = await subject.create(env());
    const error = await rejection(instance.getToken({ scope: ["kill"] }));
    assert.instance(error, ProcessProtocolError);
    assert.match(error.message, /exited \(SIGKILL\)/);
    await instance.close();
  });

  test(`${language}: a forked child that never answers fails the request after the deadline, and close ends it`, async () => {
    const slow = await subjectFromCommand(command, { ...quiet, answerTimeoutMs: 500 });
    const instance = await slow.create(env());
    const { pid } = await whoami(instance);
    const error = await rejection(instance.getToken({ scope: ["hang"] }));
    assert.instance(error, ProcessProtocolError);
    assert.match(error.message, /getToken #\d+: the program did not answer within 500 ms/);
    await instance.close();
    assert.equal(await gone([pid]), [], "the hanging child is killed");
  });

  test(`${language}: when the suite's process exits without closing anything, no fork server or forked child stays behind`, async () => {
    // A suite in a child process: a subject with spares, two instances left open, then exit.
    const script = `
      const { subjectFromCommand } = await import(${JSON.stringify(new URL("../../process/subject.ts", import.meta.url).href)});
      const { createFakeServer } = await import(${JSON.stringify(new URL("../../fake/server.ts", import.meta.url).href)});
      const { createClock } = await import(${JSON.stringify(new URL("../../fake/clock.ts", import.meta.url).href)});
      const server = createFakeServer({ clock: createClock() });
      const env = { fetch: server.fetch, now: () => Date.now(), tokenEndpoint: server.tokenEndpoint, clientId: "c", auth: { method: "client_secret_post", clientSecret: "s" }, log: () => {} };
      const subject = await subjectFromCommand(${JSON.stringify(command)}, { spares: 2 });
      const pids = [];
      for (const instance of [await subject.create(env), await subject.create(env)]) {
        const [pid, ppid] = (await instance.getToken()).accessToken.split(" ").map(Number);
        pids.push(pid, ppid);
      }
      // The waiter's parent: the fork server.
      pids.push(Number((await import("node:fs")).readFileSync("/proc/" + pids[1] + "/stat", "utf8").split(") ")[1].split(" ")[1]));
      console.log(JSON.stringify(pids));
      process.exit(0);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=tokenkeeper-source", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.is(code, 0, out);
    const pids = JSON.parse(out.trim().split("\n").at(-1)!) as number[];
    assert.is(pids.length, 5);
    assert.not.ok(pids.includes(child.pid!), "the children were forked, not started by the suite");
    assert.equal(await gone(pids), [], "the fork server, its forked children and their waiters exit with the suite");
  });
}

test.run();
