// Building blocks for mutants: deliberately broken variants of the reference subject, made by
// intercepting its transport or wrapping its instance (never by editing src/).
import { tokenkeeper, tokenKeeperInstance, tokenKeeperOptions } from "../subjects/tokenkeeper.ts";
import type { TokenKeeperOptions } from "tokenkeeper";
import type { FetchLike, Subject, SubjectEnv, SubjectInstance } from "../types.ts";

/** A broken subject and the scenarios that must catch it. */
export interface Mutant {
  name: string;
  description: string;
  /** Scenario ids that must fail or warn; every other scenario must grade as for the reference. */
  targets: readonly string[];
  /**
   * The grade a target must get exactly, where `fail` or `warn` is not enough: `fail` proves that
   * a scenario's RFC MUST check, not only its ROBUST one, can fail.
   */
  grades?: Readonly<Record<string, "fail" | "warn">>;
  /** Scenario ids whose positive control must fail: they must report `unusable`, never `pass`. */
  unusable?: readonly string[];
  /**
   * The mutant breaks everything (it never gets a token): scenarios outside `targets` and
   * `unusable` may change too, but none of those may pass where the reference does not.
   */
  broad?: true;
  subject: Subject;
}

/** A request taken apart so that it can be changed and sent again. */
export interface Parts {
  url: URL;
  method: string;
  headers: Headers;
  body: string;
  init: RequestInit;
}

export async function takeApart(input: string | URL | Request, init?: RequestInit): Promise<Parts> {
  const req = new Request(input, init);
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
  // The caller's own signal, not the Request's derived copy (derived signals may not propagate).
  const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
  return { url: new URL(req.url), method: req.method, headers: new Headers(req.headers), body, init: { signal, redirect: req.redirect } };
}

export function send(next: FetchLike, p: Parts): Promise<Response> {
  return next(p.url.href, { ...p.init, method: p.method, headers: p.headers, body: p.body === "" && (p.method === "GET" || p.method === "HEAD") ? null : p.body });
}

export const isTokenRequest = (p: Parts): boolean => p.method === "POST" && /(^|&|")grant_type(=|")/.test(p.body);
export const isMetadata = (p: Parts): boolean => p.url.pathname.startsWith("/.well-known/");
export const isResource = (p: Parts): boolean => !isTokenRequest(p) && !isMetadata(p);

/** Rebuilds a response with a new body (and optionally status/headers). */
export function withBody(res: Response, body: string | null, patch: { status?: number; headers?: Headers } = {}): Response {
  return new Response(body, { status: patch.status ?? res.status, headers: patch.headers ?? res.headers });
}

type Intercept = (env: SubjectEnv) => (next: FetchLike) => FetchLike;

/** A mutant that alters what the reference sends or receives. */
export function viaFetch(name: string, description: string, targets: readonly string[], intercept: Intercept): Mutant {
  return {
    name,
    description,
    targets,
    subject: { ...tokenkeeper, name: `mutant:${name}`, create: (env) => tokenkeeper.create({ ...env, fetch: intercept(env)(env.fetch) }) },
  };
}

/** A mutant that wraps the reference instance (or builds it with changed options). */
export function viaWrapper(
  name: string,
  description: string,
  targets: readonly string[],
  wrap: (env: SubjectEnv, inner: SubjectInstance, make: () => SubjectInstance) => SubjectInstance,
  options: (env: SubjectEnv, o: TokenKeeperOptions) => TokenKeeperOptions = (_e, o) => o,
): Mutant {
  return {
    name,
    description,
    targets,
    subject: {
      ...tokenkeeper,
      name: `mutant:${name}`,
      create: (env) => {
        const make = () => tokenKeeperInstance(options(env, tokenKeeperOptions(env)));
        return wrap(env, make(), make);
      },
    },
  };
}

/** Intercepts token requests only, changing their parts. */
export const onTokenRequest = (mutate: (p: Parts, env: SubjectEnv) => void): Intercept => (env) => (next) => async (input, init) => {
  const p = await takeApart(input, init);
  if (isTokenRequest(p)) mutate(p, env);
  return send(next, p);
};

/** Intercepts token responses whose body is a JSON object. */
export const onTokenResponse = (
  mutate: (json: Record<string, unknown>, res: Response) => Record<string, unknown> | Response,
): Intercept => () => (next) => async (input, init) => {
  const p = await takeApart(input, init);
  const res = await send(next, p);
  if (!isTokenRequest(p)) return res;
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return withBody(res, text);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return withBody(res, text);
  const out = mutate(json as Record<string, unknown>, res);
  return out instanceof Response ? out : withBody(res, JSON.stringify(out));
};

/** Intercepts resource requests. */
export const onResourceRequest = (mutate: (p: Parts, env: SubjectEnv) => void): Intercept => (env) => (next) => async (input, init) => {
  const p = await takeApart(input, init);
  if (isResource(p)) mutate(p, env);
  return send(next, p);
};
