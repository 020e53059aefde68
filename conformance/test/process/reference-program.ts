// The reference subject as a program: tokenkeeper, built exactly as the in-process reference
// subject builds it (subjects/tokenkeeper.ts), but in its own Node process and speaking the
// JSON-lines protocol (PROTOCOL.md). Its HTTP goes through the suite's proxy with undici's
// ProxyAgent (CONNECT for https, absolute-form for http), trusting the suite's CA; its clock is
// the one the suite sends. Graded like the in-process reference, it proves the protocol changes
// no grade. `--mutant <name>` breaks it on purpose (see MUTANTS).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fetch as undiciFetch, ProxyAgent } from "undici";
import type { WireEnv } from "../../process/wire.ts";
import { classifyTokenKeeper, tokenKeeperInstance, tokenKeeperOptions } from "../../subjects/tokenkeeper.ts";
import type { FetchLike, SubjectEnv, SubjectInstance } from "../../types.ts";

/** The deliberately broken variants, by name. */
const MUTANTS = {
  /** Writes the client secret on stderr when created (a leaked log line). */
  "leak-stderr": true,
  /** Sends the token to any origin it is asked to, around tokenkeeper's origin policy. */
  "any-origin": true,
} as const;

const mutantArg = process.argv.indexOf("--mutant");
const mutant = mutantArg >= 0 ? process.argv[mutantArg + 1] : undefined;
if (mutant !== undefined && !(mutant in MUTANTS)) throw new Error(`unknown mutant ${mutant}`);

let clockMs = Date.now();
let instance: SubjectInstance | undefined;
let proxyFetch: FetchLike | undefined;

const send = (message: unknown) => void process.stdout.write(`${JSON.stringify(message)}\n`);
const b64 = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("base64");

function create(env: WireEnv, proxy: string, ca: string): void {
  if (env.auth.method === "private_key_jwt" || env.dpop) throw new TypeError("the reference program is not given keys");
  const agent = new ProxyAgent({ uri: proxy, requestTls: { ca: readFileSync(ca, "utf8") }, proxyTunnel: false });
  proxyFetch = (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  const suiteEnv: SubjectEnv = {
    ...(env as Omit<WireEnv, "auth" | "dpop">),
    auth: env.auth,
    fetch: proxyFetch,
    now: () => clockMs,
    log: (line) => send({ log: line }),
  };
  if (mutant === "leak-stderr" && env.auth.method !== "none") process.stderr.write(`connecting with secret ${env.auth.clientSecret}\n`);
  instance = tokenKeeperInstance(tokenKeeperOptions(suiteEnv));
}

async function resourceRequest(m: { url: string; method: string; headers: [string, string][]; body: string | null }): Promise<Response> {
  const init: RequestInit = { method: m.method, headers: m.headers, ...(m.body !== null ? { body: Buffer.from(m.body, "base64") } : {}) };
  if (mutant === "any-origin" && !/^https:\/\/rs\d?\.test\//.test(m.url)) {
    const token = await instance!.getToken();
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token.accessToken}`);
    return proxyFetch!(m.url, { ...init, headers });
  }
  return instance!.fetch(m.url, init);
}

async function handle(m: Record<string, unknown>): Promise<unknown> {
  switch (m.op) {
    case "getToken":
      return instance!.getToken(m as never);
    case "fetch": {
      const res = await resourceRequest(m as never);
      return { status: res.status, headers: [...res.headers], body: b64(await res.arrayBuffer()) };
    }
    case "invalidate":
      return void (await instance!.invalidate(m.accessToken as string | undefined));
    default:
      throw new TypeError(`unsupported operation ${String(m.op)}`);
  }
}

const answer = (id: number, work: () => unknown) =>
  Promise.resolve()
    .then(work)
    .then(
      (result) => send({ id, ok: true, result: result ?? {} }),
      (error: unknown) => send({ id, ok: false, error: classifyTokenKeeper(error) }),
    );

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const m = JSON.parse(line) as Record<string, unknown>;
  if (typeof m.now === "number") clockMs = m.now;
  if (typeof m.id !== "number") continue;
  const id = m.id;
  if (m.op === "hello") {
    const capabilities = ["client_secret_post", "client_secret_basic", "discovery", "scope", "resource", "clock", "fetch", "origin_policy", "timeout", "invalidate"];
    send({ id, ok: true, result: { protocol: 1, name: mutant ? `reference process (mutant ${mutant})` : "tokenkeeper (process)", capabilities } });
  } else if (m.op === "create") {
    await answer(id, () => create(m.env as WireEnv, m.proxy as string, m.ca as string));
  } else if (m.op === "close") {
    await instance?.close();
    send({ id, ok: true, result: {} });
    break;
  } else void answer(id, () => handle(m));
}
process.exit(0);
