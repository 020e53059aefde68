import type * as oauth from "oauth4webapi";
import { TokenKeeperError } from "./errors.ts";
import { shortHash, type TokenKeeperEvent } from "./events.ts";
import type { Config } from "./options.ts";
import type { FetchLike } from "./fetch-like.ts";
import type { AccessToken } from "./token.ts";
import type { TokenKeeper } from "./api.ts";
import { type Outgoing, replayLimitBytes, toOutgoing, withBodyRead } from "./outgoing.ts";
import { rejectedTokenHoldMs, rejectsToken, tokenRejections } from "./rejections.ts";
import { baseUrlOf, isSecureTarget } from "./urls.ts";

/** What the fetch wrapper uses of its keeper, and the DPoP handle for DPoP-bound tokens. */
interface TokenAccess {
  getToken(signal: AbortSignal | undefined): Promise<AccessToken>;
  invalidate(accessToken: string): Promise<void>;
  readonly dpop: oauth.DPoPHandle | undefined;
  /** The `key` of the events about the token `getToken` serves. */
  readonly eventKey: string;
  /** Reports to `onEvent`, when there is a listener. */
  readonly emit: ((event: TokenKeeperEvent) => void) | undefined;
}

const maxRedirects = 20;
const redirectStatus = new Set([301, 302, 303, 307, 308]);
const contentHeaders = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/**
 * Builds `keeper.fetch()`: the shape of global `fetch`, sending the token only to allowed origins
 * over https (or plain http on loopback, or to a `dangerouslyAllowHttp` host) and following only
 * same-origin redirects (with the token).
 *
 * - A `401` about the token (a `Bearer` or `DPoP` challenge with `invalid_token` or no error, or no
 *   challenge at all) drops the token and retries once with a new one. A `401` that only
 *   challenges other schemes (`Basic`, …) is returned as is: a new token would not change it.
 * - When the token fetched because of a 401 is rejected too, within {@link rejectedTokenHoldMs}
 *   of the drop, that 401 is returned, and further 401s for that token are returned (whatever the
 *   body) without a token request for {@link rejectedTokenHoldMs}, however many calls succeed
 *   meanwhile with it elsewhere. Concurrent 401s for one token cost one token request.
 * - A body is sent again (after a 401, or on a same-origin 307/308) only when it is a string, an
 *   `ArrayBuffer` or view, a `Blob`, `URLSearchParams` or `FormData`, or absent, or the body of a
 *   `Request` input that ends within {@link replayLimitBytes} (read ahead and kept as bytes before
 *   the first send). Any other body (a `ReadableStream` or async iterable given in `init`, a Node
 *   stream, a longer `Request` body) is sent at most once and never copied: after a 401 the call
 *   rejects with `BODY_NOT_REPLAYABLE` (the token is dropped, so the caller's own retry gets a new
 *   one); a 307/308 is returned to the caller.
 * - A `Request` from another realm or another copy of the class is sent as built (URL, method,
 *   headers, body, redirect, signal). An input that stringifies as `[object …]` is a `TypeError`,
 *   never a path under `baseUrl`.
 */
export function authorizedFetch(config: Config, tokens: Pick<TokenKeeper, "getToken" | "invalidate">, eventKey: string): FetchLike {
  const keeper: TokenAccess = {
    getToken: (signal) => tokens.getToken(signal ? { signal } : undefined),
    invalidate: (token) => tokens.invalidate(token),
    dpop: config.dpop?.handle(),
    eventKey,
    emit: config.emit,
  };
  const rejections = tokenRejections();
  const base = config.baseUrl && baseUrlOf(config.baseUrl);
  return async function fetchWithToken(input, init) {
    let outgoing = toOutgoing(input, init, base);
    if (!config.allowedOrigins.has(outgoing.url.origin) || !isSecureTarget(outgoing.url, config.http)) {
      throw new TokenKeeperError("ORIGIN_NOT_ALLOWED", `fetch refused: the token may not be sent to "${outgoing.url.origin}" (allowed: baseUrl and allowedOrigins)`);
    }
    if (outgoing.unread) outgoing = await withBodyRead(outgoing, outgoing.unread);
    for (let retried = false;; retried = true) {
      const token = await keeper.getToken(outgoing.signal);
      rejections.served(token);
      const response = await send(outgoing, token, config, keeper);
      if (!rejectsToken(response)) return response;
      const now = config.clock.now();
      const verdict = rejections.rejected(token, now);
      if (verdict === "hold") {
        keeper.emit?.({ type: "token_rejected_again", key: keeper.eventKey, tokenHash: shortHash(token.accessToken), until: now + rejectedTokenHoldMs });
      }
      if (verdict === "refresh") await keeper.invalidate(token.accessToken);
      if (verdict === "hold" || verdict === "held" || retried) return response;
      await response.body?.cancel().catch(() => {});
      if (!outgoing.replayable) {
        throw new TokenKeeperError("BODY_NOT_REPLAYABLE", "fetch failed: the token was rejected (401) and the body cannot be sent again", { status: 401 });
      }
    }
  };
}

/** Sends with the token, following same-origin redirects by hand. */
async function send(outgoing: Outgoing, token: AccessToken, config: Config, keeper: TokenAccess): Promise<Response> {
  let url = outgoing.url;
  let makeInit = outgoing.init;
  for (let hops = 0;; hops++) {
    const response = await sendOne(url, makeInit, outgoing.replayable, token, config, keeper);
    const location = response.headers.get("location");
    if (!redirectStatus.has(response.status) || location === null || outgoing.redirect === "manual") return response;
    if (outgoing.redirect === "error") {
      await response.body?.cancel().catch(() => {});
      throw new TypeError('fetch failed: redirect mode is "error"');
    }
    const next = new URL(location, url);
    const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && outgoing.method === "POST");
    // The token never follows a redirect to another origin (RFC 6750 §5.3): hand the 3xx back.
    // Nor is a body that cannot be sent twice.
    if (next.origin !== url.origin || !isSecureTarget(next, config.http) || hops >= maxRedirects || (!toGet && !outgoing.replayable)) {
      return response;
    }
    await response.body?.cancel().catch(() => {});
    if (toGet) makeInit = () => asGet(outgoing);
    url = next;
  }
}

/** The request turned into a GET without a body, as a 303 (or a 301/302 after POST) asks. */
function asGet(outgoing: Outgoing): RequestInit {
  const init = outgoing.init();
  const headers = new Headers(init.headers);
  for (const name of contentHeaders) headers.delete(name);
  return { ...init, method: outgoing.method === "HEAD" ? "HEAD" : "GET", headers, body: null };
}

function sendOne(url: URL, makeInit: () => RequestInit, replayable: boolean, token: AccessToken, config: Config, keeper: TokenAccess): Promise<Response> {
  if (token.tokenType === "DPoP" && config.dpop && keeper.dpop) {
    return config.dpop.send({ url, init: makeInit, replayable, accessToken: token.accessToken, handle: keeper.dpop, fetch: config.fetch });
  }
  const init = makeInit();
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token.accessToken}`);
  if (init.headers !== undefined) headers.delete("dpop");
  return config.fetch(url, { ...init, headers, redirect: "manual" });
}
