// The JSON-lines subject protocol itself (process/): tiny programs in plain Node, each breaking or
// keeping one rule, driven through subjectFromCommand.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createClock } from "../../fake/clock.ts";
import { createFakeServer } from "../../fake/server.ts";
import { ProcessProtocolError, ProcessSubjectError } from "../../process/program.ts";
import { type CommandOptions, subjectFromCommand } from "../../process/subject.ts";
import type { SubjectEnv } from "../../types.ts";

/**
 * A program: a prelude that answers `hello` and `close`, then `body`, which defines
 * `on(m)` for every other line (`send(message)` writes one protocol line).
 */
function program(body: string, capabilities: string[] = ["scope", "clock"]): string[] {
  const prelude = `
    const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
    require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
      const m = JSON.parse(line);
      if (m.op === "hello") return send({ id: m.id, ok: true, result: { protocol: 1, name: "tiny", version: "0.0.1", capabilities: ${JSON.stringify(capabilities)} } });
      if (m.op === "close") { send({ id: m.id, ok: true, result: {} }); process.exit(0); }
      on(m);
    });`;
  return [process.execPath, "-e", `${prelude}\nfunction on(m) {\n${body}\n}`];
}

const quiet: CommandOptions = { onProtocolError: () => {}, spares: 0 };

function env(logs: string[] = [], now = () => Date.now()): SubjectEnv {
  const server = createFakeServer({ clock: createClock() });
  return { fetch: server.fetch, now, tokenEndpoint: server.tokenEndpoint, clientId: "c", auth: { method: "client_secret_post", clientSecret: "s3cret-value" }, log: (l) => void logs.push(l) };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new assert.Assertion({ message: "expected a rejection", expects: "rejection", actual: "resolved", operator: "rejects", generated: false });
}

const ok = `if (m.op === "create") return send({ id: m.id, ok: true, result: {} });`;
const test = suite("process subjects: the JSON-lines protocol");

test("hello gives the subject its name, version and capabilities", async () => {
  const subject = await subjectFromCommand(program(""), quiet);
  assert.is(subject.name, "tiny");
  assert.is(subject.version, "0.0.1");
  assert.equal(subject.capabilities, ["scope", "clock"]);
});

test("many requests are in flight at once, and each caller gets its own answer", async () => {
  // Answers nothing until five requests wait, then answers them in reverse order.
  const subject = await subjectFromCommand(program(`${ok}
    if (m.op === "getToken") { (globalThis.w ??= []).push(m);
      if (globalThis.w.length === 5) for (const r of globalThis.w.reverse()) send({ id: r.id, ok: true, result: { accessToken: "for-" + r.scope[0], tokenType: "Bearer" } }); }`), quiet);
  const instance = await subject.create(env());
  const tokens = await Promise.all(["a", "b", "c", "d", "e"].map((s) => instance.getToken({ scope: [s] })));
  assert.equal(tokens.map((t) => t.accessToken), ["for-a", "for-b", "for-c", "for-d", "for-e"]);
  await instance.close();
});

test("stderr lines and log lines reach env.log", async () => {
  const subject = await subjectFromCommand(program(`if (m.op === "create") { process.stderr.write("from stderr\\n"); send({ log: "from a log line" }); send({ id: m.id, ok: true, result: {} }); }
    if (m.op === "getToken") send({ id: m.id, ok: true, result: { accessToken: "t", tokenType: "Bearer" } });`), quiet);
  const logs: string[] = [];
  const instance = await subject.create(env(logs));
  await instance.getToken(); // stderr and stdout are separate pipes: one more round trip orders them
  await instance.close();
  assert.ok(logs.includes("from stderr"), JSON.stringify(logs));
  assert.ok(logs.includes("from a log line"), JSON.stringify(logs));
});

test("every request carries the scenario clock", async () => {
  // A clock that moves only when the test moves it: the scenario clock runs with real time, and a
  // round trip on a loaded machine takes long enough to show.
  let now = 1_000_000;
  const subject = await subjectFromCommand(program(`${ok}
    if (m.op === "getToken") send({ id: m.id, ok: true, result: { accessToken: String(m.now), tokenType: "Bearer" } });`), quiet);
  const instance = await subject.create(env([], () => now));
  assert.is((await instance.getToken()).accessToken, "1000000");
  now += 301_000;
  assert.is((await instance.getToken()).accessToken, "1301000");
  await instance.close();
});

test("a library error comes back classified by the program", async () => {
  const subject = await subjectFromCommand(program(`${ok}
    if (m.op === "getToken") send({ id: m.id, ok: false, error: { kind: "oauth", error: "invalid_scope", status: 400, message: "no such scope" } });`), quiet);
  const instance = await subject.create(env());
  const error = await rejection(instance.getToken());
  assert.instance(error, ProcessSubjectError);
  assert.equal(await subject.classify(error), { kind: "oauth", error: "invalid_scope", status: 400, message: "no such scope" });
  await instance.close();
});

test("a refused configuration fails create with the program's classification", async () => {
  const subject = await subjectFromCommand(program(`if (m.op === "create") send({ id: m.id, ok: false, error: { kind: "config", message: "no auth none here" } });`), quiet);
  const error = await rejection(Promise.resolve(subject.create({ ...env(), auth: { method: "none" } })));
  assert.is((await subject.classify(error)).kind, "config");
});

test("a line on stdout that is not JSON fails the waiting request and ends the program", async () => {
  const seen: ProcessProtocolError[] = [];
  const subject = await subjectFromCommand(program(`${ok} if (m.op === "getToken") console.log("debug: fetching a token");`), { ...quiet, onProtocolError: (e) => void seen.push(e) });
  const instance = await subject.create(env());
  const error = await rejection(instance.getToken());
  assert.instance(error, ProcessProtocolError);
  assert.match(error.message, /not JSON .*log to stderr.*debug: fetching a token/);
  assert.match((await rejection(instance.getToken())).message, /not JSON/, "later requests fail the same way");
  assert.is(seen.length, 1);
  await instance.close();
});

test("an answer out of shape (an unknown error kind) is a protocol error", async () => {
  const subject = await subjectFromCommand(program(`${ok} if (m.op === "getToken") send({ id: m.id, ok: false, error: { kind: "boom", message: "x" } });`), quiet);
  const instance = await subject.create(env());
  const error = await rejection(instance.getToken());
  assert.instance(error, ProcessProtocolError);
  assert.match(error.message, /error\.kind "boom" is not one of config, oauth/);
  await instance.close();
});

test("a program that crashes fails the waiting request with its exit and last stderr lines", async () => {
  const subject = await subjectFromCommand(program(`${ok} if (m.op === "getToken") { process.stderr.write("panic: nil map\\n"); process.exit(3); }`), quiet);
  const instance = await subject.create(env());
  const error = await rejection(instance.getToken());
  assert.instance(error, ProcessProtocolError);
  assert.match(error.message, /exited \(code 3\).*panic: nil map/);
  await instance.close();
});

test("a program that never answers fails the request after the answer deadline instead of hanging", async () => {
  const subject = await subjectFromCommand(program(ok), { ...quiet, answerTimeoutMs: 300 });
  const instance = await subject.create(env());
  const error = await rejection(instance.getToken());
  assert.instance(error, ProcessProtocolError);
  assert.match(error.message, /getToken #\d+: the program did not answer within 300 ms/);
  await instance.close();
});

test("a program that cannot be started fails hello with a clear error", async () => {
  const error = await rejection(subjectFromCommand(["/nonexistent/subject-program"], quiet));
  assert.match(error.message, /cannot start '\/nonexistent\/subject-program'.*ENOENT/);
});

test("hello that declares fake_timers is refused: a program follows the clock lines", async () => {
  const error = await rejection(subjectFromCommand(program("", ["fake_timers"]), quiet));
  assert.match(error.message, /declares clock .* never fake_timers/);
});

test.run();
