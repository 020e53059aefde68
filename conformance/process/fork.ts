// Node-only: a program that forks itself once per client instance (PROTOCOL.md, "Forking"). The
// process that answered `hello` stays up as a fork server; asked to `fork`, it forks a child that
// connects back to the suite's Unix socket twice, once for the protocol lines (both ways) and once
// for its standard error. An interpreter and its library then load once per run instead of once
// per instance, which is most of what a Python or Ruby instance costs. A forked child is driven
// like a started one (program.ts): only where its lines travel differs.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessProtocolError, type Program, type ProgramProcess } from "./program.ts";

/** The two connections of a forked child, as they arrive. */
interface Waiting {
  stdio?: Socket;
  stderr?: Socket;
  resolve(streams: [Socket, Socket]): void;
  reject(error: Error): void;
}

type Status = { code: number | null; signal: NodeJS.Signals | null };

// A greeting is one short JSON line; anything longer is not a forked child of ours.
const GREETING_MAX = 512;

/**
 * A forked child, with the shape of a started child process: its protocol lines go both ways on
 * one socket (`stdin` and `stdout`), its standard error comes on another, and its exit comes from
 * the fork server's `exited` line.
 */
class ForkedProcess extends EventEmitter implements ProgramProcess {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdout: Socket;
  #status: Status | undefined;
  #open = 2;
  #closed = false;

  readonly pid: number;
  readonly stdin: Socket;
  readonly stderr: Socket;
  /** Whether the fork server is gone, so that no exit notice can come any more. */
  readonly #orphaned: () => boolean;

  constructor(pid: number, stdio: Socket, stderr: Socket, orphaned: () => boolean) {
    super();
    this.pid = pid;
    this.stdin = stdio;
    this.stdout = stdio;
    this.stderr = stderr;
    this.#orphaned = orphaned;
    for (const socket of [stdio, stderr]) {
      socket.once("close", () => {
        this.#open--;
        this.#settle();
      });
    }
  }

  /** The fork server said how the child ended (or, when the server itself is gone, nobody can). */
  exited(status: Status): void {
    if (this.#status) return;
    this.#status = status;
    this.exitCode = status.code;
    this.signalCode = status.signal;
    this.emit("exit", status.code, status.signal);
    this.#settle();
  }

  /** Checks again whether the child has ended (its fork server has gone). */
  recheck(): void {
    this.#settle();
  }

  // Like a child process: "close" once it has exited and its streams have closed. Without a fork
  // server to say how it ended, a child whose streams have closed has ended, nobody knows how.
  #settle(): void {
    if (!this.#status && this.#open === 0 && this.#orphaned()) this.exited({ code: null, signal: null });
    if (this.#status && this.#open === 0 && !this.#closed) {
      this.#closed = true;
      this.emit("close", this.#status.code, this.#status.signal);
    }
  }

  kill(signal: NodeJS.Signals | number = "SIGTERM"): boolean {
    if (this.#status) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  unref(): void {
    this.stdin.unref();
    this.stderr.unref();
  }
}

/** A program that answered `hello` with `"fork": true`, kept running to fork instances. */
export class ForkServer {
  readonly #program: Program;
  readonly #path: string;
  /** Forks whose child has not connected both streams yet, by token. */
  readonly #waiting = new Map<string, Waiting>();
  /** The token of each fork whose child has not connected yet, by pid (to fail it when the child exits first). */
  readonly #connecting = new Map<number, string>();
  /** Exits of children not known yet (a notice can come right behind the `fork` answer). */
  readonly #early = new Map<number, Status>();
  readonly #children = new Map<number, ForkedProcess>();
  /** Children that exited before connecting (their fork fails; there is nothing left to kill). */
  readonly #ended = new Set<number>();
  #gone = false;

  private constructor(program: Program, server: Server, path: string) {
    this.#program = program;
    this.#path = path;
    server.on("connection", (socket: Socket) => this.#accept(socket));
    void program.exited.then(() => {
      this.#gone = true;
      for (const child of this.#children.values()) child.recheck();
    });
  }

  /**
   * Listens on a new Unix socket for `program`'s forked children. Call {@link exited} with the
   * program's `exited` lines (ProgramOptions.onExited).
   */
  static async listen(program: Program): Promise<ForkServer> {
    const dir = mkdtempSync(join(tmpdir(), "conformance-fork-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "fork.sock");
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    server.unref();
    return new ForkServer(program, server, path);
  }

  /** A child has exited: its ForkedProcess ends, or its fork fails if it never connected. */
  exited(pid: number, status: Status): void {
    const child = this.#children.get(pid);
    if (child) {
      this.#children.delete(pid);
      return child.exited(status);
    }
    const token = this.#connecting.get(pid);
    if (token === undefined) return void this.#early.set(pid, status);
    this.#ended.add(pid);
    this.#waiting.get(token)?.reject(new ProcessProtocolError(`fork: the forked child ${pid} exited (${status.signal ?? `code ${status.code}`}) before it connected`));
  }

  /**
   * Asks the server for a child with `env` added to its environment and waits for both of its
   * connections.
   *
   * @param timeoutMs Real time to wait for the answer, then again for the connections.
   * @throws {ProcessProtocolError} When the server does not answer, answers out of shape, or its
   *   child exits or does not connect in time.
   */
  async fork(env: Record<string, string>, timeoutMs: number): Promise<ProgramProcess> {
    if (this.#gone) throw new ProcessProtocolError("fork: the fork server has exited");
    const token = randomUUID();
    const connected = new Promise<[Socket, Socket]>((resolve, reject) => this.#waiting.set(token, { resolve, reject }));
    connected.catch(() => {}); // a failed answer rejects first; this one is then nobody's
    let pid: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = (await this.#program.request("fork", { socket: this.#path, token, env }, timeoutMs)) as { pid?: unknown };
      if (!Number.isInteger(result?.pid) || (result.pid as number) <= 0) throw new ProcessProtocolError(`fork: the answer needs pid (a positive integer), not ${JSON.stringify(result).slice(0, 100)}`);
      pid = result.pid as number;
      this.#connecting.set(pid, token);
      const early = this.#early.get(pid);
      if (early) {
        this.#early.delete(pid);
        this.exited(pid, early);
      }
      timer = setTimeout(() => this.#waiting.get(token)?.reject(new ProcessProtocolError(`fork: the forked child ${pid} did not connect to ${this.#path} within ${timeoutMs} ms`)), timeoutMs);
      const [stdio, stderr] = await connected;
      const child = new ForkedProcess(pid, stdio, stderr, () => this.#gone);
      this.#children.set(pid, child);
      return child;
    } catch (error) {
      const waiting = this.#waiting.get(token);
      for (const socket of [waiting?.stdio, waiting?.stderr]) socket?.destroy();
      // A child that is still running but never connected is of no use.
      if (pid !== undefined && !this.#ended.delete(pid)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.#waiting.delete(token);
      if (pid !== undefined) this.#connecting.delete(pid);
    }
  }

  /** Reads a connection's greeting, `{"fork": token, "stream": "stdio" | "stderr"}`, then hands the socket to its fork. */
  #accept(socket: Socket): void {
    socket.on("error", () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(10);
      if (nl < 0) return void (head.length > GREETING_MAX && socket.destroy());
      socket.off("data", onData);
      socket.pause();
      let greeting: { fork?: unknown; stream?: unknown } | undefined;
      try {
        greeting = JSON.parse(head.subarray(0, nl).toString("utf8")) as typeof greeting;
      } catch {}
      const waiting = typeof greeting?.fork === "string" ? this.#waiting.get(greeting.fork) : undefined;
      const stream = greeting?.stream;
      if (!waiting || (stream !== "stdio" && stream !== "stderr") || waiting[stream]) return void socket.destroy();
      if (nl + 1 < head.length) socket.unshift(head.subarray(nl + 1));
      waiting[stream] = socket;
      if (waiting.stdio && waiting.stderr) waiting.resolve([waiting.stdio, waiting.stderr]);
    };
    socket.on("data", onData);
  }
}
