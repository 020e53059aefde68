// The mutants: each breaks the reference subject in one way a real client library has been seen
// to break, and names the scenarios that must catch it. Runtime-neutral.
import * as oauth from "oauth4webapi";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { customClientAuth, isTokenKeeperError, TokenKeeperError } from "tokenkeeper";
import { tokenkeeper, tokenKeeperInstance, tokenKeeperOptions } from "../subjects/tokenkeeper.ts";
import type { FetchLike, SubjectInstance, TokenResult } from "../types.ts";
import type { Mutant } from "./kit.ts";
import { isMetadata, isResource, isTokenRequest, onResourceRequest, onTokenRequest, onTokenResponse, send, takeApart, viaFetch, viaWrapper, withBody } from "./kit.ts";

export type { Mutant } from "./kit.ts";

const utf8Base64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** Replaces the client assertion by one re-signed with changed claims. */
const resign = (change: (claims: Record<string, unknown>, url: URL) => void) => onTokenRequestAsync(async (p, env) => {
  const params = new URLSearchParams(p.body);
  const jwt = params.get("client_assertion");
  if (!jwt || env.auth.method !== "private_key_jwt") return;
  const claims = decodeJwt(jwt) as Record<string, unknown>;
  change(claims, p.url);
  const header = decodeProtectedHeader(jwt);
  params.set("client_assertion", await new SignJWT(claims).setProtectedHeader({ alg: header.alg!, ...(header.kid ? { kid: header.kid } : {}) }).sign(env.auth.privateKey));
  p.body = params.toString();
});

function onTokenRequestAsync(mutate: (p: Awaited<ReturnType<typeof takeApart>>, env: Parameters<Mutant["subject"]["create"]>[0]) => Promise<void>) {
  return (env: Parameters<Mutant["subject"]["create"]>[0]) => (next: FetchLike): FetchLike => async (input, init) => {
    const p = await takeApart(input, init);
    if (isTokenRequest(p)) await mutate(p, env);
    return send(next, p);
  };
}

const form = (p: { body: string }, edit: (q: URLSearchParams) => void) => {
  const q = new URLSearchParams(p.body);
  edit(q);
  p.body = q.toString();
};

/** The instance methods of the reference, to spread into wrappers. */
const passthrough = (inner: SubjectInstance): SubjectInstance => ({
  getToken: (o) => inner.getToken(o),
  fetch: (u, i) => inner.fetch(u, i),
  invalidate: (t) => inner.invalidate(t),
  close: () => inner.close(),
});

/** The failure-case scenarios: each proves first that the subject gets a token in its set-up. */
export const CONTROLLED = [
  "AUTH-06", "AUTH-09", "GRANT-03", "GRANT-07", "RESP-03", "RESP-04", "RESP-05", "RESP-06", "RESP-07", "RESP-08", "RESP-09", "RESP-11",
  "CONC-02", "ERR-01", "ERR-02", "ERR-03", "ERR-04", "ERR-05", "ERR-06", "ERR-07", "ERR-08", "ERR-09", "RS-07", "RS-08",
  "SEC-01", "SEC-02", "SEC-04", "SEC-05", "SEC-08", "SEC-09",
] as const;

export const mutants: readonly Mutant[] = [
  {
    // Without positive controls, AUTH-06, ERR-05, SEC-01, SEC-04 and SEC-05 passed for this one.
    ...viaFetch("never-gets-token", "never gets a token: every successful token response becomes 401 invalid_client", [], () => (next) => async (input, init) => {
      const p = await takeApart(input, init);
      const res = await send(next, p);
      if (!isTokenRequest(p) || res.status !== 200) return res;
      await res.body?.cancel();
      return new Response(JSON.stringify({ error: "invalid_client" }), { status: 401, headers: { "content-type": "application/json" } });
    }),
    unusable: CONTROLLED,
    broad: true,
  },
  // A. Request encoding
  viaFetch("drop-endpoint-query", "sends the token request without the endpoint's query", ["REQ-01"], onTokenRequest((p) => void (p.url.search = ""))),
  viaFetch("text-plain-form", "labels the form body text/plain", ["REQ-02", "REQ-04", "AUTH-05"], onTokenRequest((p) => p.headers.set("content-type", "text/plain"))),
  viaFetch("grant-type-twice", "sends grant_type twice", ["REQ-03", "REQ-04", "AUTH-05"], onTokenRequest((p) => form(p, (q) => q.append("grant_type", "client_credentials")))),
  viaFetch("scope-twice", "repeats the scope parameter", ["REQ-04", "GRANT-02"], onTokenRequest((p) => form(p, (q) => {
    const s = q.get("scope");
    if (s !== null) q.append("scope", s);
  }))),
  viaFetch("secret-in-query", "copies the form parameters into the request URI", ["REQ-05"], onTokenRequest((p) => {
    for (const [k, v] of new URLSearchParams(p.body)) p.url.searchParams.append(k, v);
  })),
  viaFetch("no-accept", "sends no Accept header to the token endpoint", ["REQ-06"], onTokenRequest((p) => p.headers.delete("accept"))),
  // B. Client authentication
  viaFetch("basic-two-spaces", "writes 'Basic  <credentials>' with two spaces", ["AUTH-01"], onTokenRequest((p) => {
    const a = p.headers.get("authorization");
    if (a?.startsWith("Basic ")) p.headers.set("authorization", a.replace("Basic ", "Basic  "));
  })),
  viaFetch("basic-raw-btoa", "Basic credentials as btoa(id:secret), without form-encoding", ["AUTH-02", "AUTH-10"], onTokenRequest((p, env) => {
    if (p.headers.get("authorization") && env.auth.method === "client_secret_basic") {
      p.headers.set("authorization", `Basic ${utf8Base64(`${env.clientId}:${env.auth.clientSecret}`)}`);
    }
  })),
  { ...viaFetch("post-adds-basic", "adds a Basic header to client_secret_post", ["REQ-04", "AUTH-04", "AUTH-05"], onTokenRequest((p) => {
    const q = new URLSearchParams(p.body);
    const secret = q.get("client_secret");
    if (secret !== null) p.headers.set("authorization", `Basic ${utf8Base64(`${q.get("client_id")}:${secret}`)}`);
  })), unusable: ["SEC-09"] },
  viaFetch("basic-plus-body-secret", "adds client_secret to the body next to Basic", ["AUTH-01", "AUTH-05"], onTokenRequest((p, env) => {
    if (p.headers.get("authorization") && env.auth.method === "client_secret_basic") form(p, (q) => q.set("client_secret", (env.auth as { clientSecret: string }).clientSecret));
  })),
  viaFetch("fallback-to-basic", "after invalid_client, silently retries with Basic", ["AUTH-06", "ERR-02"], (env) => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p) || res.status !== 401 || env.auth.method !== "client_secret_post") return res;
    form(p, (q) => q.delete("client_secret"));
    p.headers.set("authorization", `Basic ${utf8Base64(`${encodeURIComponent(env.clientId)}:${encodeURIComponent(env.auth.clientSecret)}`)}`);
    return send(next, p);
  }),
  viaFetch("assertion-aud-token-endpoint", "signs assertions with aud = the token endpoint URL", ["AUTH-07", "SEC-07"], resign((claims, url) => {
    claims.aud = `${url.origin}${url.pathname}`;
  })),
  viaFetch("hmac-assertion-wrong-sub", "signs client_secret_jwt assertions with a sub that is not the client id", ["AUTH-05", "AUTH-11"], onTokenRequestAsync(async (p, env) => {
    const params = new URLSearchParams(p.body);
    const jwt = params.get("client_assertion");
    if (!jwt || env.auth.method !== "client_secret_jwt") return;
    const claims = { ...decodeJwt(jwt), sub: "someone-else" };
    params.set("client_assertion", await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(env.auth.clientSecret)));
    p.body = params.toString();
  })),
  viaFetch("assertion-replay", "re-sends the first client assertion", ["AUTH-08"], (env) => {
    let first: string | null = null;
    return onTokenRequest((p) => form(p, (q) => {
      const a = q.get("client_assertion");
      if (a === null) return;
      if (first === null) first = a;
      else q.set("client_assertion", first);
    }))(env);
  }),
  {
    // Sends client_id alone: on the wire the empty-secret case RFC 6749 §2.3.1 allows, so only
    // AUTH-09's ROBUST checks catch it (warn).
    name: "auth-none-accepted",
    description: "accepts a client with no authentication",
    targets: ["AUTH-09"],
    grades: { "AUTH-09": "warn" },
    subject: {
      ...tokenkeeper,
      name: "mutant:auth-none-accepted",
      create: (env) => {
        if (env.auth.method !== "none") return tokenkeeper.create(env);
        const { clientSecret: _, ...o } = tokenKeeperOptions({ ...env, auth: { method: "client_secret_post", clientSecret: "unused" } });
        // Posing as mTLS is the one way past the keeper's own check that a credential is sent.
        return tokenKeeperInstance({ ...o, clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth()) });
      },
    },
  },
  {
    name: "auth-none-anonymous",
    description: "accepts a client with no authentication and sends a token request that names no client",
    targets: ["AUTH-09"],
    subject: {
      ...tokenkeeper,
      name: "mutant:auth-none-anonymous",
      create: (env) => {
        if (env.auth.method !== "none") return tokenkeeper.create(env);
        const { clientSecret: _, ...o } = tokenKeeperOptions({ ...env, auth: { method: "client_secret_post", clientSecret: "unused" } });
        const fetch: typeof env.fetch = async (input, init) => {
          const p = await takeApart(input, init);
          if (isTokenRequest(p)) {
            const form = new URLSearchParams(p.body);
            form.delete("client_id");
            p.body = form.toString();
          }
          return send(env.fetch, p);
        };
        return tokenKeeperInstance({ ...o, fetch, clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth()) });
      },
    },
    // The RFC MUST check itself fails, not only the ROBUST ones.
    grades: { "AUTH-09": "fail" },
  },
  // C. Grant and parameters
  viaFetch("scope-commas", "joins scopes with commas", ["GRANT-02", "GRANT-07"], onTokenRequest((p) => form(p, (q) => {
    const s = q.get("scope");
    if (s !== null) q.set("scope", s.split(" ").join(","));
  }))),
  viaFetch("resource-joined", "sends all resources in one parameter", ["GRANT-03"], onTokenRequest((p) => form(p, (q) => {
    const r = q.getAll("resource");
    if (r.length > 1) {
      q.delete("resource");
      q.set("resource", r.join(" "));
    }
  }))),
  viaWrapper("cache-ignores-key", "keys its cache without the scope or resource asked for", ["GRANT-04", "CONC-03"], (_env, inner) => ({
    ...passthrough(inner),
    getToken: ({ scope: _s, resource: _r, ...o } = {}) => inner.getToken(o),
  })),
  viaFetch("refresh-grant", "renews with the refresh_token it was given", ["GRANT-05"], () => {
    let refresh: string | undefined;
    return (next) => async (input, init) => {
      const p = await takeApart(input, init);
      if (isTokenRequest(p) && refresh) form(p, (q) => {
        q.set("grant_type", "refresh_token");
        q.set("refresh_token", refresh!);
      });
      const res = await send(next, p);
      if (!isTokenRequest(p)) return res;
      const text = await res.text();
      try {
        const r = (JSON.parse(text) as { refresh_token?: string }).refresh_token;
        if (r) refresh = r;
      } catch { /* not JSON */ }
      return withBody(res, text);
    };
  }),
  viaFetch("drop-granted-scope", "ignores the granted scope", ["GRANT-06"], onTokenResponse(({ scope: _, ...rest }) => rest)),
  {
    name: "scope-unchecked",
    description: "sends whatever scope strings its caller gives, outside the RFC 6749 §3.3 syntax too",
    targets: ["GRANT-07"],
    subject: {
      ...tokenkeeper,
      name: "mutant:scope-unchecked",
      // The keeper validates scopes; this one asks for a placeholder and writes the caller's raw
      // scope into the request.
      create: (env) => {
        if (env.scope === undefined || env.scope.every((s) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s))) return tokenkeeper.create(env);
        const raw = env.scope.join(" ");
        const fetch = onTokenRequest((p) => form(p, (q) => q.set("scope", raw)))(env)(env.fetch);
        return tokenkeeper.create({ ...env, scope: ["placeholder"], fetch });
      },
    },
  },
  // D. Response parsing
  viaFetch("uses-ext-expires-in", "takes the lifetime from ext_expires_in", ["RESP-01"], onTokenResponse((j) => (j.ext_expires_in ? { ...j, expires_in: Number(j.ext_expires_in) } : j))),
  viaFetch("echo-token-type", "uses token_type verbatim as the Authorization scheme", ["RESP-02"], () => {
    let type: string | undefined;
    return (next) => async (input, init) => {
      const p = await takeApart(input, init);
      if (isResource(p) && type) p.headers.set("authorization", (p.headers.get("authorization") ?? "").replace(/^\S+/, type));
      const res = await send(next, p);
      if (!isTokenRequest(p)) return res;
      const text = await res.text();
      try {
        type = (JSON.parse(text) as { token_type?: string }).token_type;
      } catch { /* not JSON */ }
      return withBody(res, text);
    };
  }),
  viaFetch("assume-bearer", "assumes Bearer when token_type is missing", ["RESP-03"], onTokenResponse((j) => (j.access_token && !j.token_type ? { ...j, token_type: "Bearer" } : j))),
  viaFetch("token-type-case-sensitive", "accepts only the exact spelling 'Bearer' as a bearer token_type", ["RESP-02", "RESP-12"], onTokenResponse((j) =>
    typeof j.token_type === "string" && /^bearer$/i.test(j.token_type) && j.token_type !== "Bearer" ? { ...j, token_type: `unknown-${j.token_type}` } : j
  )),
  viaFetch("any-token-type", "treats any token_type as Bearer", ["RESP-04"], onTokenResponse((j) =>
    typeof j.token_type === "string" && !/^(bearer|dpop)$/i.test(j.token_type) ? { ...j, token_type: "Bearer" } : j
  )),
  viaFetch("any-200-is-token", "takes any 200 as a token response", ["RESP-05", "RESP-07", "RESP-08", "RESP-09"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p) || res.status !== 200) return res;
    const text = await res.text();
    let ok = false;
    try {
      const j = JSON.parse(text) as { access_token?: unknown };
      ok = typeof j === "object" && j !== null && typeof j.access_token === "string" && j.access_token !== "";
    } catch { /* not JSON */ }
    if (ok) return withBody(res, text);
    return withBody(res, JSON.stringify({ access_token: "placeholder", token_type: "Bearer", expires_in: 300 }), { headers: new Headers({ "content-type": "application/json" }) });
  }),
  viaFetch("lenient-expires-in", "drops an invalid expires_in instead of failing", ["RESP-06"], onTokenResponse((j) => {
    const v = j.expires_in;
    const fine = v === undefined || (typeof v === "number" && v >= 0) || (typeof v === "string" && /^\d+$/.test(v));
    if (fine) return j;
    const { expires_in: _, ...rest } = j;
    return rest;
  })),
  viaFetch("rejects-spaced-charset", "fails on 'application/json; charset=utf-8'", ["RESP-10"], () => (next) => async (input, init) => {
    const res = await next(input, init);
    if (res.headers.get("content-type") === "application/json; charset=utf-8") throw new TypeError("fetch failed: unsupported media type");
    return res;
  }),
  viaFetch("accept-201", "treats 201 as 200", ["RESP-11"], () => (next) => async (input, init) => {
    const res = await next(input, init);
    return res.status === 201 ? withBody(res, await res.text(), { status: 200 }) : res;
  }),
  // E. Expiry and refresh
  viaWrapper("no-cache", "requests a new token on every call", ["EXP-01", "EXP-08", "EXP-09", "FAULT-01", "FAULT-05", "FAULT-06"], (_env, inner) => ({
    ...passthrough(inner),
    getToken: (o) => inner.getToken({ ...o, forceRefresh: true }),
    fetch: async (url, init) => {
      await inner.invalidate();
      return inner.fetch(url, init);
    },
  })),
  viaFetch("expires-in-late", "believes tokens live 50 % longer", ["AUTH-08", "RESP-01", "EXP-02", "EXP-07", "EXP-09", "CONC-01", "FAULT-06"], onTokenResponse((j) => (typeof j.expires_in === "number" ? { ...j, expires_in: j.expires_in * 1.5 } : j))),
  viaFetch("default-ttl-day", "keeps a token without expires_in for a day", ["EXP-04"], onTokenResponse((j) => (j.access_token && j.expires_in === undefined ? { ...j, expires_in: 86400 } : j))),
  viaFetch("cache-zero", "caches expires_in 0 tokens for 5 minutes", ["EXP-05"], onTokenResponse((j) => (j.expires_in === 0 ? { ...j, expires_in: 300 } : j))),
  viaFetch("expiry-from-server-date", "computes expiry from the server's Date header instead of its own clock", ["EXP-09"], (env) => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    const date = Date.parse(res.headers.get("date") ?? "");
    if (!isTokenRequest(p) || !Number.isFinite(date)) return res;
    const text = await res.text();
    try {
      const j = JSON.parse(text) as Record<string, unknown>;
      if (typeof j.expires_in === "number" && j.expires_in > 0) j.expires_in = Math.max(0, Math.round(j.expires_in + (date - env.now()) / 1000));
      return withBody(res, JSON.stringify(j));
    } catch {
      return withBody(res, text);
    }
  }),
  viaFetch("jwt-exp", "reads the expiry from a JWT access token", ["EXP-07"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p)) return res;
    const text = await res.text();
    try {
      const j = JSON.parse(text) as Record<string, unknown>;
      const exp = decodeJwt(String(j.access_token)).exp;
      if (typeof exp === "number") j.expires_in = Math.max(0, Math.round(exp - Date.now() / 1000));
      return withBody(res, JSON.stringify(j));
    } catch {
      return withBody(res, text);
    }
  }),
  viaWrapper("no-401-retry", "returns the first 401 without refreshing", ["EXP-04", "EXP-08", "RS-03"], (env, inner) => ({
    ...passthrough(inner),
    fetch: async (url, init) => {
      const target = new URL(url, env.baseUrl);
      if (target.protocol !== "https:" || !env.baseUrl || target.origin !== new URL(env.baseUrl).origin || env.dpop) return inner.fetch(url, init);
      const t = await inner.getToken();
      const headers = new Headers(init?.headers);
      headers.set("authorization", `Bearer ${t.accessToken}`);
      return env.fetch(target.href, { ...init, headers, redirect: "manual" });
    },
  })),
  viaWrapper("retry-401-loop", "keeps refreshing and retrying on 401", ["EXP-08", "RS-03"], (_env, inner) => ({
    ...passthrough(inner),
    fetch: async (url, init) => {
      let res = await inner.fetch(url, init);
      for (let i = 0; i < 3 && res.status === 401; i++) {
        await inner.invalidate();
        res = await inner.fetch(url, init);
      }
      return res;
    },
  })),
  // F. Concurrency
  viaWrapper("keeper-per-call", "builds a new client for every call", ["EXP-01", "EXP-08", "EXP-09", "CONC-01", "ERR-05", "ERR-10"], (_env, inner, make) => ({
    ...passthrough(inner),
    getToken: async (o) => {
      const k = make();
      try {
        return await k.getToken(o);
      } finally {
        void k.close();
      }
    },
  })),
  viaWrapper("poisoned-failure", "remembers the first failure forever", ["RESP-07", "CONC-02"], (_env, inner) => {
    let failed: Promise<TokenResult> | undefined;
    return {
      ...passthrough(inner),
      getToken: (o) => {
        if (failed) return failed;
        const p = inner.getToken(o);
        p.catch(() => void (failed = p));
        return p;
      },
    };
  }),
  viaWrapper("global-lock", "serialises every token request", ["CONC-02", "CONC-03"], (_env, inner) => {
    let chain: Promise<unknown> = Promise.resolve();
    return {
      ...passthrough(inner),
      getToken: (o) => {
        const p = chain.then(() => inner.getToken(o));
        chain = p.catch(() => {});
        return p;
      },
    };
  }),
  // G. Errors and retries
  viaFetch("retry-4xx", "sends a 400 token request once more", ["ERR-01", "GRANT-03", "ERR-08"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p) || res.status !== 400) return res;
    await res.body?.cancel();
    return send(next, p);
  }),
  viaWrapper("raw-body-in-errors", "appends the raw response body to error messages", ["ERR-03", "SEC-05"], (env, _inner) => {
    let last = "";
    const inner = tokenKeeperInstance({
      ...tokenKeeperOptions(env),
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const res = await env.fetch(input, init);
        last = await res.clone().text().catch(() => "");
        return res;
      }) as FetchLike,
    });
    return {
      ...passthrough(inner),
      getToken: (o) => inner.getToken(o).catch((err: unknown) => {
        if (err instanceof Error) Object.defineProperty(err, "message", { value: `${err.message}: ${last}` });
        throw err;
      }),
    };
  }),
  viaWrapper("no-retry", "never retries a token request", ["ERR-04", "ERR-09", "FAULT-04", "FAULT-05"], (_env, inner) => inner, (_env, o) => ({ ...o, retry: false })),
  viaFetch("ignore-retry-after", "ignores Retry-After", ["ERR-04", "ERR-09", "FAULT-05"], () => (next) => async (input, init) => {
    const res = await next(input, init);
    if (!res.headers.has("retry-after")) return res;
    const headers = new Headers(res.headers);
    headers.delete("retry-after");
    return withBody(res, await res.text(), { headers });
  }),
  viaWrapper("untyped-network-error", "lets raw network errors escape", ["ERR-06"], (_env, inner) => ({
    ...passthrough(inner),
    getToken: (o) => inner.getToken(o).catch((err: unknown) => {
      throw isTokenKeeperError(err) && err.code === "NETWORK_ERROR" ? new Error("socket hang up") : err;
    }),
  })),
  viaWrapper("no-timeout", "waits a minute for a token response", ["ERR-07", "FAULT-02", "FAULT-03"], (_env, inner) => inner, (_env, o) => ({ ...o, timeoutMs: 60_000 })),
  viaWrapper("timeout-headers-only", "its deadline stops once the response headers arrive; the body may take forever", ["ERR-07", "FAULT-03"], (_env, inner) => inner, (env, o) => ({
    ...o,
    timeoutMs: 60_000,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const controller = new AbortController();
      const parent = init?.signal;
      const onAbort = () => controller.abort(parent?.reason);
      if (parent?.aborted) onAbort();
      else parent?.addEventListener("abort", onAbort, { once: true });
      const ms = env.timeoutMs ?? 10_000;
      const timer = setTimeout(() => controller.abort(new TokenKeeperError("TIMEOUT", `request timed out after ${ms} ms`, { retryable: true })), ms);
      try {
        return await env.fetch(input, { ...init, signal: controller.signal });
      } finally {
        clearTimeout(timer);
      }
    }) as FetchLike,
  })),
  viaFetch("truncated-body-is-response", "takes a token response cut short by a connection reset as the whole body", ["ERR-06", "FAULT-04"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p) || res.body === null) return res;
    const reader = res.body.getReader();
    let text = "";
    const decoder = new TextDecoder();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
    } catch { /* the connection broke: keep what came */ }
    return withBody(res, text);
  }),
  viaWrapper("backoff-per-caller", "leaves retries to each caller (Retry-After honoured per caller): a caller arriving during the backoff sends its own request", ["FAULT-05"], (_env, inner) => {
    const retrying = <T>(call: () => Promise<T>) => async (): Promise<T> => {
      for (let attempt = 1;; attempt++) {
        try {
          return await call();
        } catch (err) {
          if (attempt >= 3 || !isTokenKeeperError(err) || !err.retryable) throw err;
          await new Promise((r) => setTimeout(r, err.retryAfterMs ?? 250 * attempt));
        }
      }
    };
    return {
      ...passthrough(inner),
      getToken: (o) => retrying(() => inner.getToken(o))(),
      fetch: (url, init) => retrying(() => inner.fetch(url, init))(),
    };
  }, (_env, o) => ({ ...o, retry: { maxAttempts: 1, cooldownAfterFailures: 1000 } })),
  {
    name: "drop-token-on-failed-refresh",
    description: "throws away a still-valid token when a refresh fails",
    targets: ["FAULT-01", "FAULT-06"],
    subject: {
      ...tokenkeeper,
      name: "mutant:drop-token-on-failed-refresh",
      create: (env) => {
        const o = tokenKeeperOptions(env);
        const log = o.onEvent!;
        const instance: SubjectInstance = tokenKeeperInstance({
          ...o,
          onEvent: (event) => {
            log(event);
            if (event.type === "token_request_failed" && event.refresh) void instance.invalidate();
          },
        });
        return instance;
      },
    },
  },
  viaWrapper("silent-refresh-failures", "reports no failed refresh (no event, no log line)", ["FAULT-06"], (_env, inner) => inner, (_env, o) => ({
    ...o,
    onEvent: (event) => {
      if (event.type !== "token_request_failed" && event.type !== "retry_scheduled" && event.type !== "cooldown") o.onEvent?.(event);
    },
  })),
  viaFetch("dpop-nonce-from-errors-only", "learns DPoP nonces only from use_dpop_nonce errors, never from a 200's DPoP-Nonce", ["ERR-10"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isTokenRequest(p) || res.status !== 200 || !res.headers.has("dpop-nonce")) return res;
    const headers = new Headers(res.headers);
    headers.delete("dpop-nonce");
    return withBody(res, await res.text(), { headers });
  }),
  viaFetch("dpop-stale-proof", "re-sends its first DPoP proof on the nonce retry", ["ERR-08", "ERR-10"], (env) => {
    let first: string | null = null;
    return onTokenRequest((p) => {
      const proof = p.headers.get("dpop");
      if (proof === null) return;
      if (first === null) first = proof;
      else p.headers.set("dpop", first);
    })(env);
  }),
  // H. Bearer usage
  viaFetch("lowercase-bearer", "writes 'bearer <token>'", ["RESP-02", "RS-01", "RS-07"], onResourceRequest((p) => {
    const a = p.headers.get("authorization");
    if (a?.startsWith("Bearer ")) p.headers.set("authorization", `bearer ${a.slice(7)}`);
  })),
  viaFetch("token-in-query", "also sends the token as access_token in the query", ["RS-02"], onResourceRequest((p) => {
    const a = p.headers.get("authorization");
    if (a) p.url.searchParams.set("access_token", a.replace(/^\S+ /, ""));
  })),
  viaWrapper("retry-on-403", "refreshes and retries on 403", ["RS-04"], (_env, inner) => ({
    ...passthrough(inner),
    fetch: async (url, init) => {
      let res = await inner.fetch(url, init);
      for (let i = 0; i < 2 && res.status === 403; i++) {
        await inner.invalidate();
        res = await inner.fetch(url, init);
      }
      return res;
    },
  })),
  viaFetch("dpop-proof-dropped", "drops the DPoP proof on resource requests", ["RS-06"], onResourceRequest((p) => p.headers.delete("dpop"))),
  viaFetch("dpop-scheme-always", "uses the DPoP scheme for every token when it has a DPoP key", ["RS-07"], onResourceRequest((p, env) => {
    const a = p.headers.get("authorization");
    if (env.dpop && a?.startsWith("Bearer ")) p.headers.set("authorization", `DPoP ${a.slice(7)}`);
  })),
  viaFetch("token-redirect-resends-secret", "follows a 307/308 from the token endpoint like Node's fetch: Authorization dropped across origins, the form body (secret, assertion) re-sent", ["SEC-09"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    let res = await send(next, p);
    if (!isTokenRequest(p)) return res;
    for (let i = 0; i < 3 && (res.status === 307 || res.status === 308) && res.headers.get("location"); i++) {
      const to = new URL(res.headers.get("location")!, p.url);
      if (to.origin !== p.url.origin) p.headers.delete("authorization");
      p.url = to;
      await res.body?.cancel();
      res = await send(next, p);
    }
    return res;
  }),
  viaFetch("redirect-keeps-token", "follows redirects itself, keeping every header", ["RS-08", "SEC-09"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    let res = await send(next, p);
    for (let i = 0; i < 3 && [301, 302, 303, 307, 308].includes(res.status) && res.headers.get("location"); i++) {
      p.url = new URL(res.headers.get("location")!, p.url);
      res = await send(next, { ...p, init: { ...p.init, redirect: "manual" } });
    }
    return res;
  }),
  // I. Security
  {
    name: "no-https-check",
    description: "sends credentials to http endpoints",
    targets: ["SEC-01"],
    subject: {
      ...tokenkeeper,
      name: "mutant:no-https-check",
      create: (env) => {
        const up = (u: string | undefined) => (u?.startsWith("http://") ? `https://${u.slice(7)}` : u);
        const insecure = new Set([env.tokenEndpoint, env.baseUrl].filter((u) => u?.startsWith("http://")).map((u) => new URL(u!).host));
        const fetch: FetchLike = (input, init) => {
          const req = new Request(input, init);
          const u = new URL(req.url);
          if (insecure.has(u.host)) u.protocol = "http:";
          return env.fetch(new Request(u, req));
        };
        const e = { ...env, fetch };
        const te = up(env.tokenEndpoint);
        const bu = up(env.baseUrl);
        if (te !== undefined) e.tokenEndpoint = te;
        if (bu !== undefined) e.baseUrl = bu;
        return tokenkeeper.create(e);
      },
    },
  },
  viaFetch("skip-issuer-check", "does not compare the metadata issuer", ["SEC-04"], () => (next) => async (input, init) => {
    const p = await takeApart(input, init);
    const res = await send(next, p);
    if (!isMetadata(p) || res.status !== 200) return res;
    const j = (await res.json()) as Record<string, unknown>;
    return withBody(res, JSON.stringify({ ...j, issuer: p.url.origin }));
  }),
  viaWrapper("leaky-errors", "attaches the request (secret included) to errors", ["SEC-05"], (env, inner) => ({
    ...passthrough(inner),
    getToken: (o) => inner.getToken(o).catch((err: unknown) => {
      if (err instanceof Error) Object.assign(err, { request: { clientId: env.clientId, auth: env.auth } });
      throw err;
    }),
  })),
  viaWrapper("token-everywhere", "attaches the token to any origin", ["SEC-08"], (env, inner) => ({
    ...passthrough(inner),
    fetch: async (url, init) => {
      const target = new URL(url, env.baseUrl);
      if (env.baseUrl && target.origin === new URL(env.baseUrl).origin) return inner.fetch(url, init);
      const t = await inner.getToken();
      const headers = new Headers(init?.headers);
      headers.set("authorization", `Bearer ${t.accessToken}`);
      return env.fetch(target.href, { ...init, headers });
    },
  })),
];
