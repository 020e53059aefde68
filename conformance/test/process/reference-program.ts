// The reference subject as a program: tokenkeeper, built exactly as the in-process reference
// subject builds it (subjects/tokenkeeper.ts), but in its own Node process and speaking the
// JSON-lines protocol (PROTOCOL.md). Its HTTP goes through the suite's proxy with undici's
// ProxyAgent (CONNECT for https, absolute-form for http), trusting the suite's CA; its clock is
// the one the suite sends; its keys (private_key_jwt, DPoP) come as JWKs and are imported here. Graded like the in-process reference, it proves the protocol changes
// no grade. `--mutant <name>` breaks it on purpose (see MUTANTS).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fetch as undiciFetch, ProxyAgent } from "undici";
import type { WireEnv } from "../../process/wire.ts";
import { classifyTokenKeeper, tokenKeeperInstance, tokenKeeperOptions } from "../../subjects/tokenkeeper.ts";
import type { AuthConfig, FetchLike, SubjectEnv, SubjectInstance } from "../../types.ts";

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

/** A CryptoKey from a JWK the suite sent: ES256 (ECDSA P-256) or PS256 (RSA-PSS). */
function importJwk(jwk: JsonWebKey, alg: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  const algorithm = alg === "PS256" ? { name: "RSA-PSS", hash: "SHA-256" } : { name: "ECDSA", namedCurve: "P-256" };
  // Private keys stay unexportable, as the in-process subject gets them; public keys go into proofs.
  return crypto.subtle.importKey("jwk", jwk, algorithm, usage === "verify", [usage]);
}

async function keyPair(pair: { privateJwk: JsonWebKey; publicJwk: JsonWebKey }, alg: string): Promise<CryptoKeyPair> {
  return { privateKey: await importJwk(pair.privateJwk, alg, "sign"), publicKey: await importJwk(pair.publicJwk, alg, "verify") };
}

async function create(env: WireEnv, proxy: string, ca: string): Promise<void> {
  const a = env.auth;
  const auth: AuthConfig = a.method === "private_key_jwt" ? { ...a, ...(await keyPair(a, a.alg)) } : a;
  const dpop = env.dpop ? await keyPair(env.dpop, "ES256") : undefined;
  const agent = new ProxyAgent({ uri: proxy, requestTls: { ca: readFileSync(ca, "utf8") }, proxyTunnel: false });
  proxyFetch = (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  const { dpop: _wireDpop, ...rest } = env;
  const suiteEnv: SubjectEnv = {
    ...rest,
    auth,
    ...(dpop ? { dpop } : {}),
    fetch: proxyFetch,
    now: () => clockMs,
    log: (line) => send({ log: line }),
  };
  if (mutant === "leak-stderr" && "clientSecret" in a) process.stderr.write(`connecting with secret ${a.clientSecret}\n`);
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
    // Everything the in-process reference drives (subjects/tokenkeeper.ts), keys included.
    const capabilities = ["client_secret_post", "client_secret_basic", "private_key_jwt", "discovery", "scope", "resource", "clock", "fetch", "origin_policy", "dpop", "timeout", "invalidate", "client_secret_jwt"];
    send({ id, ok: true, result: { protocol: 1, name: mutant ? `reference process (mutant ${mutant})` : "tokenkeeper (process)", language: "JavaScript", clockSource: "injected clock", capabilities } });
  } else if (m.op === "create") {
    await answer(id, () => create(m.env as WireEnv, m.proxy as string, m.ca as string));
  } else if (m.op === "close") {
    await instance?.close();
    send({ id, ok: true, result: {} });
    break;
  } else void answer(id, () => handle(m));
}
process.exit(0);
