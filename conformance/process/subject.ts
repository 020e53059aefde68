// Node-only: a Subject whose library lives in another program, in any language, driven by JSON
// lines over its stdin and stdout (PROTOCOL.md). One program runs per client instance: `create`
// starts it (or has the program that answered `hello` fork it, fork.ts) behind its own proxy
// (proxy.ts) to the scenario's env.fetch, and `close` ends it.
import type { ErrorInfo, FetchLike, Subject, SubjectEnv, SubjectInstance } from "../types.ts";
import { processCa } from "./ca.ts";
import { ForkServer } from "./fork.ts";
import { ProcessProtocolError, ProcessSubjectError, Program, type ProgramOptions } from "./program.ts";
import { type ProcessProxy, proxyToFetch } from "./proxy.ts";
import { type HelloResult, readHello, readResponse, readToken, toWireCall, toWireEnv, type WireEnv } from "./wire.ts";

/** Options of {@link subjectFromCommand}. */
export interface CommandOptions {
  /** Environment variables for the program, added to the suite's own. */
  env?: Record<string, string>;
  /** The program's working directory. */
  cwd?: string;
  /**
   * Real time to wait for each answer (hello and create included), in ms.
   * @default 15000
   */
  answerTimeoutMs?: number;
  /**
   * Programs kept started ahead of `create` (0 starts each one when a scenario asks for it).
   * @default 3
   */
  spares?: number;
  /** Replaces the name `hello` answers (for reports and report file names). */
  name?: string;
  /** Replaces the version `hello` answers. */
  version?: string;
  /**
   * Whether a program whose `hello` offers to fork (PROTOCOL.md, "Forking") forks each instance;
   * `false` starts every instance as a new process anyway.
   * @default true
   */
  fork?: boolean;
  /**
   * Told about every protocol error (a crash, a malformed line, a missing answer).
   * @default a line on the suite's stderr
   */
  onProtocolError?: (error: ProcessProtocolError) => void;
}

// The harness gives close() 1 s; a program that has not answered and exited by then is killed.
const CLOSE_GRACE_MS = 400;

export { ProcessProtocolError, ProcessSubjectError } from "./program.ts";
export { PROTOCOL_VERSION } from "./wire.ts";
export type { HelloResult, WireAuth, WireEnv, WireHttp } from "./wire.ts";

/** The environment every program gets: where to send HTTP and which CA to trust. */
function programEnv(proxy: string, caFile: string): Record<string, string> {
  return {
    TOKENKEEPER_CONFORMANCE_PROTOCOL: "1",
    TOKENKEEPER_CONFORMANCE_PROXY: proxy,
    TOKENKEEPER_CONFORMANCE_CA: caFile,
    // The conventional names, for libraries that read them; the explicit ones above win.
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    NO_PROXY: "",
    no_proxy: "",
    SSL_CERT_FILE: caFile,
    // requests prefers these to a session's own `verify` (psf/requests#3829).
    REQUESTS_CA_BUNDLE: caFile,
    CURL_CA_BUNDLE: caFile,
  };
}

function base64(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString("base64");
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Turns a `fetch` answer into a Response. */
function toResponse(result: unknown): Response {
  const wire = readResponse(result);
  if (typeof wire === "string") throw new ProcessProtocolError(`fetch: ${wire}`);
  const body = wire.body === null || NULL_BODY.has(wire.status!) ? null : Buffer.from(wire.body, "base64");
  try {
    return new Response(body, { status: wire.status!, headers: wire.headers });
  } catch (error) {
    throw new ProcessProtocolError(`fetch: the answer is not a valid response: ${(error as Error).message}`);
  }
}

/** A program started ahead of need, with its proxy; `create` points both at a scenario. */
interface Started {
  program: Program;
  proxy: ProcessProxy;
  caFile: string;
  /** Sets the transport the proxy replays to (the scenario's env.fetch). */
  route(fetch: FetchLike): void;
}

/**
 * Starts a program behind a new proxy whose transport is set later: a new process, or a child of
 * the fork server when there is one.
 */
async function start(command: readonly string[], options: CommandOptions, report: (e: ProcessProtocolError) => void, forks: ForkServer | undefined): Promise<Started> {
  const ca = await processCa();
  let target: FetchLike = () => Promise.reject(new TypeError("no scenario has taken this program yet"));
  const proxy = await proxyToFetch((input, init) => target(input, init), ca);
  const env = programEnv(proxy.url, ca.caFile);
  let program: Program;
  if (forks) {
    try {
      program = new Program(command, { process: await forks.fork(env, options.answerTimeoutMs ?? 15_000), onProtocolError: report });
    } catch (error) {
      await proxy.close();
      throw error;
    }
  } else {
    program = new Program(command, {
      env: { ...options.env, ...env },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      onProtocolError: report,
    } satisfies ProgramOptions);
  }
  return { program, proxy, caFile: ca.caFile, route: (fetch) => void (target = fetch) };
}

/**
 * Programs started before they are needed, so that `create` does not wait for an interpreter to
 * start and load its library (a few hundred ms each for Python or Ruby). A spare that died
 * waiting is dropped.
 */
function sparePool(command: readonly string[], options: CommandOptions, report: (e: ProcessProtocolError) => void, size: number, forks: ForkServer | undefined) {
  const spares: Promise<Started>[] = [];
  const refill = () => {
    while (spares.length < size) {
      const next = start(command, options, report, forks);
      next.then((s) => (s.program.unref(), s.proxy.unref()), () => {});
      spares.push(next);
    }
  };
  return {
    async take(): Promise<Started> {
      refill();
      const spare = spares.shift();
      refill();
      const started = await (spare ?? start(command, options, report, forks));
      if (started.program.usable) return started;
      await started.proxy.close();
      return start(command, options, report, forks);
    },
  };
}

/** Starts one instance on a started program: points its proxy at env.fetch, sends `create`. */
async function createInstance(started: Started, wireEnv: WireEnv, options: CommandOptions, env: SubjectEnv): Promise<SubjectInstance> {
  const { program, proxy, caFile, route } = started;
  route(env.fetch);
  program.logTo(env.log);
  const timeout = options.answerTimeoutMs ?? 15_000;
  // The scenario clock, pushed whenever it moves (PROTOCOL.md, "Time").
  let told = env.now();
  const clock = setInterval(() => {
    const now = env.now();
    if (now !== told) program.notify({ op: "clock", now: (told = now) });
  }, 10);
  clock.unref?.();
  const call = (op: string, fields: Record<string, unknown> = {}) => program.request(op, { now: (told = env.now()), ...fields }, timeout);
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      clearInterval(clock);
      await program.close(CLOSE_GRACE_MS);
      await proxy.close();
    })());
  try {
    await call("create", { env: wireEnv, proxy: proxy.url, ca: caFile });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    async getToken(options) {
      const token = readToken(await call("getToken", toWireCall(options)));
      if (typeof token === "string") throw new ProcessProtocolError(`getToken: ${token}`);
      return token;
    },
    async fetch(url, init) {
      const request = new Request(new URL(url, env.baseUrl), init);
      const body = request.body ? base64(await request.arrayBuffer()) : null;
      return toResponse(await call("fetch", { url: request.url, method: request.method, headers: [...request.headers], body }));
    },
    async invalidate(accessToken) {
      await call("invalidate", accessToken === undefined ? {} : { accessToken });
    },
    close,
  };
}

/** Maps what a process subject throws to the suite's vocabulary. */
export function classifyProcessError(error: unknown): ErrorInfo {
  if (error instanceof ProcessSubjectError) return error.info;
  if (error instanceof ProcessProtocolError) return { kind: "other", message: error.message, code: "PROTOCOL_ERROR" };
  return { kind: "other", message: String((error as Error)?.message ?? error), code: (error as Error)?.name };
}

/**
 * A Subject that drives a program in any language over the JSON-lines protocol (PROTOCOL.md).
 * Starts the program once to ask `hello` (name, version, capabilities), then once per client
 * instance each scenario creates.
 *
 * @param command The program and its arguments (`["/usr/bin/python3", "subject.py"]`).
 * @param options Environment, working directory, answer deadline, name and version overrides.
 * @returns The subject, ready for `runSuite` or `--subject`.
 * @throws {ProcessProtocolError} When the program cannot be started or answers `hello` wrongly.
 * @example An adapter module for `--subject ./python-subject.ts`
 * ```ts
 * import { subjectFromCommand } from "@tokenkeeper/conformance/process";
 * export default await subjectFromCommand(["python3", "my_subject.py"]);
 * ```
 */
export async function subjectFromCommand(command: readonly string[], options: CommandOptions = {}): Promise<Subject> {
  if (command.length === 0) throw new TypeError("subjectFromCommand: the command is empty");
  const report = options.onProtocolError ?? ((e: ProcessProtocolError) => void process.stderr.write(`process subject: ${e.message}\n`));
  const ca = await processCa();
  // The program that answers hello stays up as the fork server when it offers to fork; its protocol
  // errors are the suite's business from then on.
  let forks: ForkServer | undefined;
  const program = new Program(command, {
    env: { ...options.env, ...programEnv("", ca.caFile) },
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    onProtocolError: (e) => void (forks && report(e)),
    onExited: (pid, code, signal) => forks?.exited(pid, { code, signal }),
  });
  let hello: HelloResult | string;
  try {
    hello = readHello(await program.request("hello", {}, options.answerTimeoutMs ?? 15_000));
    if (typeof hello !== "string" && hello.fork && options.fork !== false) {
      forks = await ForkServer.listen(program);
      program.unref();
    }
  } finally {
    if (!forks) await program.close(CLOSE_GRACE_MS);
  }
  if (typeof hello === "string") throw new ProcessProtocolError(`hello: ${hello} [protocol error: ${command.join(" ")}]`);
  const version = options.version ?? hello.version;
  const pool = sparePool(command, options, report, options.spares ?? 3, forks);
  return {
    name: options.name ?? hello.name,
    ...(version !== undefined ? { version } : {}),
    ...(hello.language !== undefined ? { language: hello.language } : {}),
    ...(hello.clockSource !== undefined ? { clockSource: hello.clockSource } : {}),
    capabilities: hello.capabilities,
    create: async (env) => {
      const wireEnv = await toWireEnv(env);
      return createInstance(await pool.take(), wireEnv, options, env);
    },
    classify: classifyProcessError,
  };
}
