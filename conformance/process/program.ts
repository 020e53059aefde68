// Node-only: one running subject program and the JSON lines to and from it. Every request carries
// an id and waits, with its own bounded timer, for the answer that repeats it, so any number can
// be in flight. A program that crashes, writes a line that is not the protocol, or never answers
// makes each waiting request fail with a ProcessProtocolError that says which; nothing hangs.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { ErrorInfo } from "../types.ts";
import { readError } from "./wire.ts";

/** An error the subject's library raised, as the program reported it (classified by the program). */
export class ProcessSubjectError extends Error {
  override name = "ProcessSubjectError";
  /** The program's classification, in the suite's vocabulary. */
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

/**
 * The program broke the protocol: it could not be started, exited before answering, wrote a line
 * that is not a protocol message, answered out of shape, or did not answer in time.
 */
export class ProcessProtocolError extends Error {
  override name = "ProcessProtocolError";
}

/**
 * The parts of a running program that a {@link Program} drives: a started child process, or a
 * child that a fork server forked (fork.ts), whose streams are sockets.
 */
export interface ProgramProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals | number): boolean;
  unref(): void;
  once(event: "exit", listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: "close", listener: () => void): unknown;
  once(event: "error", listener: (error: Error) => void): unknown;
}

/** How to start a program. */
export interface ProgramOptions {
  /** A program already running (a forked child, fork.ts) to drive instead of starting the command. */
  process?: ProgramProcess;
  /** Environment variables added to the suite's own. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /**
   * Receives each log line: every stderr line and every `{"log": …}` line. Lines that come before
   * a sink is set (see {@link Program.logTo}) wait for it.
   */
  onLog?: (line: string) => void;
  /** Told about every protocol error, once each, as it happens. */
  onProtocolError?: (error: ProcessProtocolError) => void;
  /**
   * Receives a fork server's `{"exited": pid, …}` lines (PROTOCOL.md, "Forking"); without it,
   * such a line is a protocol error.
   */
  onExited?: (pid: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

interface Pending {
  op: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Keeps the last lines a program wrote on stderr, for error messages. */
function tail(lines: string[], line: string): void {
  lines.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  if (lines.length > 5) lines.shift();
}

/** A started program speaking the protocol. */
export class Program {
  readonly #child: ProgramProcess;
  readonly #pending = new Map<number, Pending>();
  /** Requests given up on (timed out): their late answers are dropped, not a protocol error. */
  readonly #expired = new Set<number>();
  readonly #stderr: string[] = [];
  readonly #options: ProgramOptions;
  readonly #label: string;
  #nextId = 1;
  /** Set once the program is unusable; every later request fails with it. */
  #broken: ProcessProtocolError | undefined;
  #closing = false;
  #log: ((line: string) => void) | undefined;
  readonly #early: string[] = [];
  readonly exited: Promise<void>;

  constructor(command: readonly string[], options: ProgramOptions = {}) {
    this.#options = options;
    this.#log = options.onLog;
    const label = command.join(" ").replace(/\s+/g, " ");
    this.#label = label.length > 100 ? `${label.slice(0, 100)}…` : label;
    this.#child = options.process ?? spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => {
      this.#child.once("close", () => resolve());
      this.#child.once("error", (error) => {
        this.#break(`cannot start '${this.#label}': ${error.message}`);
        resolve();
      });
    });
    this.#child.once("exit", (code, signal) => {
      // Exiting (or being killed) once asked to close is the protocol (#break is quiet then);
      // before that, a crash.
      this.#break(`the program exited (${signal ?? `code ${code}`})${this.#stderr.length ? `; its last stderr lines: ${this.#stderr.join(" | ")}` : ""}`);
    });
    this.#child.stdin.on("error", () => {}); // EPIPE after a crash: reported by "exit".
    this.#lines(this.#child.stdout, (line) => this.#onLine(line));
    this.#lines(this.#child.stderr, (line) => {
      tail(this.#stderr, line);
      this.#emit(line);
    });
  }

  #emit(line: string): void {
    if (this.#log) this.#log(line);
    else if (this.#early.length < 1000) this.#early.push(line);
  }

  /** Sends log lines to `sink` from now on, those that came before first. */
  logTo(sink: (line: string) => void): void {
    this.#log = sink;
    for (const line of this.#early.splice(0)) sink(line);
  }

  /**
   * Lets the suite's process exit while this program runs (a spare waiting for work). The program
   * sees its stdin close when the suite exits, and ends.
   */
  unref(): void {
    this.#child.unref();
    for (const stream of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (stream as unknown as { unref?(): void }).unref?.();
  }

  #lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl).replace(/\r$/, "");
        buffered = buffered.slice(nl + 1);
        if (line.trim()) onLine(line);
      }
    });
    // A forked child's sockets come paused (fork.ts holds them until they are driven), and a
    // "data" listener does not resume a stream paused on purpose.
    stream.resume();
  }

  #onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return this.#break(`the program wrote a line on stdout that is not JSON (stdout is for protocol lines only; log to stderr): ${JSON.stringify(line.slice(0, 200))}`);
    }
    const m = message as { id?: unknown; ok?: unknown; result?: unknown; error?: unknown; log?: unknown; exited?: unknown; code?: unknown; signal?: unknown };
    if (typeof m !== "object" || m === null) return this.#break(`the program wrote ${JSON.stringify(line.slice(0, 200))}: a protocol line is a JSON object`);
    if (typeof m.log === "string" && m.id === undefined) return this.#emit(m.log);
    if (m.exited !== undefined && m.id === undefined && this.#options.onExited) return this.#onExited(m);
    if (typeof m.id === "number" && this.#expired.has(m.id)) return void this.#expired.delete(m.id);
    const pending = typeof m.id === "number" ? this.#pending.get(m.id) : undefined;
    if (!pending || typeof m.ok !== "boolean") {
      return this.#break(`the program wrote ${JSON.stringify(line.slice(0, 200))}: an answer needs the id of a request in flight and ok (true or false); a log line is {"log": "…"}`);
    }
    this.#pending.delete(m.id as number);
    clearTimeout(pending.timer);
    if (m.ok) return pending.resolve(m.result ?? {});
    const info = readError(m.error);
    if (typeof info === "string") return this.#break(`the program's answer to ${pending.op} #${m.id}: ${info}`, pending);
    pending.reject(new ProcessSubjectError(info));
  }

  /** A fork server's notice that a child it forked has exited, with its exit code or signal number. */
  #onExited(m: { exited?: unknown; code?: unknown; signal?: unknown }): void {
    const { exited: pid, code, signal } = m;
    if (!Number.isInteger(pid) || (code !== undefined && !Number.isInteger(code)) || (signal !== undefined && !Number.isInteger(signal)) || (code === undefined) === (signal === undefined)) {
      return this.#break(`the program wrote ${JSON.stringify(m).slice(0, 200)}: an exit notice is {"exited": pid, "code": n} or {"exited": pid, "signal": n}`);
    }
    const name = signal === undefined ? null : ((Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] ?? `SIG${signal}`) as NodeJS.Signals);
    this.#options.onExited!(pid as number, code === undefined ? null : (code as number), name);
  }

  /** Marks the program unusable: fails `only` (or every waiting request) and kills it. */
  #break(message: string, only?: Pending): void {
    const error = new ProcessProtocolError(`${message} [protocol error: ${this.#label}]`);
    if (!this.#closing) this.#options.onProtocolError?.(error);
    if (only) return only.reject(error);
    this.#broken ??= error;
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new ProcessProtocolError(`${p.op} #${id}: ${error.message}`));
    }
    this.#pending.clear();
    this.kill();
  }

  /**
   * Sends `{id, op, ...fields}` and waits for its answer.
   *
   * @param timeoutMs Real time to wait; then the request fails (the program keeps running).
   * @returns The answer's `result`.
   * @throws {ProcessSubjectError} When the program answers `ok: false`.
   * @throws {ProcessProtocolError} When the program breaks the protocol or does not answer in time.
   */
  request(op: string, fields: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.#broken) return Promise.reject(new ProcessProtocolError(`${op}: ${this.#broken.message}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#expired.add(id);
        const error = new ProcessProtocolError(`${op} #${id}: the program did not answer within ${timeoutMs} ms [protocol error: ${this.#label}]`);
        if (!this.#closing) this.#options.onProtocolError?.(error);
        reject(error);
      }, timeoutMs);
      this.#pending.set(id, { op, resolve, reject, timer });
      this.#child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  /** Sends a line that needs no answer (`{"op": "clock", …}`). */
  notify(fields: Record<string, unknown>): void {
    if (!this.#broken && this.#child.stdin.writable) this.#child.stdin.write(`${JSON.stringify(fields)}\n`);
  }

  /** Whether the program can still take requests. */
  get usable(): boolean {
    return this.#broken === undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /**
   * Asks the program to close, gives it `graceMs` to answer and exit, then kills it.
   */
  async close(graceMs: number): Promise<void> {
    if (this.#closing) return this.exited;
    this.#closing = true;
    if (this.usable) {
      await this.request("close", {}, graceMs).catch(() => {});
      this.#child.stdin.end();
      const timer = setTimeout(() => this.kill(), graceMs);
      await this.exited;
      clearTimeout(timer);
    } else this.kill();
    await this.exited;
  }

  /** Ends the program at once (SIGKILL; it is ours). */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill("SIGKILL");
  }
}
