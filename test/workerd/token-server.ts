// A token server and helper endpoints on a real loopback socket, driven by the Node side of the
// workerd tests: it holds token responses until told, and lets a worker signal where it is
// (`/mark`) or wait for the test (`/hold`) without any sleep on the test's side.
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";

/** One request the server saw. */
export interface Seen {
  kind: "token" | "mark" | "hold";
  name: string;
}

/** The running server and the test's handles on it. */
export interface TokenServer {
  origin: string;
  seen: Seen[];
  /** Token requests answered so far. */
  issued: number;
  /**
   * Resolves once `count` requests matching `kind` (and `name`) have been seen, earlier ones
   * included; rejects after 15 s so that a test fails instead of hanging.
   */
  waitFor(kind: Seen["kind"], name?: string, count?: number): Promise<void>;
  /** Lets held token responses (now and later) go out. */
  releaseTokens(): void;
  /** Holds token responses again until the next `releaseTokens()`. */
  holdTokens(): void;
  /** Answers the worker's `/hold?name=` request. */
  release(name: string): void;
  close(): Promise<void>;
}

interface Gate {
  promise: Promise<void>;
  resolve(): void;
}

// Promise.withResolvers is missing from Node 20.
function gate(): Gate {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Starts the server on 127.0.0.1 with `expiresInS` as every token's `expires_in`. */
export async function startTokenServer(expiresInS: number): Promise<TokenServer> {
  const seen: Seen[] = [];
  const waiters: (() => void)[] = [];
  const notify = (): void => waiters.splice(0).forEach((wake) => wake());
  let tokenGate = gate();
  const holds = new Map<string, Gate>();
  const hold = (name: string): Gate => {
    let g = holds.get(name);
    if (!g) holds.set(name, (g = gate()));
    return g;
  };
  let issued = 0;

  const app = new Hono();
  app.post("/token", async (c) => {
    const n = seen.filter((s) => s.kind === "token").length + 1;
    seen.push({ kind: "token", name: String(n) });
    notify();
    await tokenGate.promise;
    issued++;
    return c.json({ access_token: `tok-${n}`, token_type: "Bearer", expires_in: expiresInS }, 200, { "cache-control": "no-store" });
  });
  app.get("/mark", (c) => {
    seen.push({ kind: "mark", name: c.req.query("name") ?? "" });
    notify();
    return c.text("ok");
  });
  app.get("/hold", async (c) => {
    const name = c.req.query("name") ?? "";
    seen.push({ kind: "hold", name });
    notify();
    await hold(name).promise;
    return c.text("released");
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    get issued() {
      return issued;
    },
    waitFor(kind, name, count = 1) {
      const met = (): boolean => seen.filter((s) => s.kind === kind && (name === undefined || s.name === name)).length >= count;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the token server never saw ${count} ${kind} ${name ?? ""} request(s); it saw ${JSON.stringify(seen)}`)), 15_000);
        const check = (): void => {
          if (!met()) return void waiters.push(check);
          clearTimeout(timer);
          resolve();
        };
        check();
      });
    },
    releaseTokens() {
      tokenGate.resolve();
    },
    holdTokens() {
      tokenGate = gate();
    },
    release(name) {
      hold(name).resolve();
    },
    close() {
      tokenGate.resolve();
      holds.forEach((g) => g.resolve());
      return new Promise((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
