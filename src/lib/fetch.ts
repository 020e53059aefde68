import type * as oauth from "oauth4webapi";
import type { TokenCache } from "./cache.ts";
import { TokenKeeperError } from "./errors.ts";
import { shortHash } from "./events.ts";
import type { Config } from "./options.ts";
import { isReplayable, toOutgoing, withBodyRead } from "./outgoing.ts";
import { rejectedTokenHoldMs, rejectsToken, TokenRejections } from "./rejections.ts";
import type { Token } from "./token.ts";
import type { FetchLike } from "./types.ts";
import { type BaseUrl, baseUrlOf, isSecureTarget } from "./urls.ts";

const maxRedirects = 20;
const redirectStatus = [301, 302, 303, 307, 308];
const contentHeaders = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/**
 * Builds `keeper.fetch()`: the shape of global `fetch`, sending the token only to allowed origins
 * over https (or plain http on loopback, or to a `dangerouslyAllowHttp` host) and following only
 * same-origin redirects (with the token). It is made on the first use of `keeper.fetch`, and only
 * `createTokenKeeper()` makes it, so a getToken-only bundle carries none of this.
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
 *   `Request` input that ends within 1 MiB (read ahead and kept as bytes before the first send).
 *   Any other body (a `ReadableStream` or async iterable given in `init`, a Node stream, a longer
 *   `Request` body) is sent at most once and never copied: after a 401 the call rejects with
 *   `BODY_NOT_REPLAYABLE` (the token is dropped, so the caller's own retry gets a new one); a
 *   307/308 is returned to the caller.
 * - A `Request` from another realm or another copy of the class is sent as built (URL, method,
 *   headers, body, redirect, signal). An input that stringifies as `[object …]` is a `TypeError`,
 *   never a path under `baseUrl`.
 *
 * A call allocates what global `fetch` needs and little more: no closure, no `Request` and no
 * `Headers` unless the caller gave headers, and nothing for the 401 hold until the first 401.
 */
export function authorizedFetch(cache: TokenCache): FetchLike {
  const sender = new Sender(cache.config, cache);
  return (input, init) => sender.fetch(input, init);
}

class Sender {
  readonly #config: Config;
  readonly #cache: TokenCache;
  readonly #base: BaseUrl | undefined;
  /** Where the token may go: `baseUrl`'s origin and `allowedOrigins`. */
  readonly #origins: readonly string[];
  /** The DPoP handle of resource requests, made on first use. */
  #dpop: oauth.DPoPHandle | undefined;
  #rejections: TokenRejections | undefined;
  /** The last token sent, and its `Authorization` value, made once per token. */
  #token: Token | undefined;
  #authorization = "";

  constructor(config: Config, cache: TokenCache) {
    this.#config = config;
    this.#cache = cache;
    this.#base = config.baseUrl === undefined ? undefined : baseUrlOf(new URL(config.baseUrl));
    this.#origins = this.#base ? [this.#base.url.origin, ...config.allowedOrigins] : config.allowedOrigins;
  }

  async fetch(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const config = this.#config;
    let { url, init: sent, unread } = toOutgoing(input, init, this.#base);
    if (!this.#origins.includes(url.origin) || !isSecureTarget(url, config.http)) {
      throw new TokenKeeperError("ORIGIN_NOT_ALLOWED", `fetch refused: the token may not be sent to "${url.origin}" (allowed: baseUrl and allowedOrigins)`);
    }
    if (unread) sent = await withBodyRead(sent, unread);
    const cache = this.#cache;
    for (let retried = false;; retried = true) {
      if (cache.closed) throw cache.closed;
      const token = await cache.main.get(false, sent.signal ?? undefined);
      this.#rejections?.served(token);
      let response = await this.#sendOne(url, sent, token);
      if (redirectStatus.includes(response.status)) response = await this.#follow(response, url, sent, token);
      if (!rejectsToken(response)) return response;
      const now = config.clock.now();
      const verdict = (this.#rejections ??= new TokenRejections()).rejected(token, now);
      if (verdict === "hold") {
        config.emit?.({ type: "token_rejected_again", key: cache.main.eventKey, tokenHash: shortHash(token.accessToken), until: now + rejectedTokenHoldMs });
      }
      if (verdict === "refresh") await cache.invalidate(token.accessToken);
      if (verdict === "hold" || verdict === "held" || retried) return response;
      await response.body?.cancel().catch(() => {});
      if (!isReplayable(sent.body)) {
        throw new TokenKeeperError("BODY_NOT_REPLAYABLE", "fetch failed: the token was rejected (401) and the body cannot be sent again", { status: 401 });
      }
    }
  }

  /** Follows same-origin redirects by hand, with the token, from a 3xx `response` to `url`. */
  async #follow(response: Response, url: URL, init: RequestInit, token: Token): Promise<Response> {
    for (let hops = 0;; hops++) {
      if (!redirectStatus.includes(response.status)) return response;
      const location = response.headers.get("location");
      const mode = init.redirect ?? "follow";
      if (location === null || mode === "manual") return response;
      if (mode === "error") {
        await response.body?.cancel().catch(() => {});
        throw new TypeError('fetch failed: redirect mode is "error"');
      }
      const next = new URL(location, url);
      const method = (init.method ?? "GET").toUpperCase();
      const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST");
      // The token never follows a redirect to another origin (RFC 6750 §5.3): hand the 3xx back.
      // Nor is a body that cannot be sent twice.
      if (next.origin !== url.origin || !isSecureTarget(next, this.#config.http) || hops >= maxRedirects || (!toGet && !isReplayable(init.body))) {
        return response;
      }
      await response.body?.cancel().catch(() => {});
      if (toGet) {
        // As a 303 (or a 301/302 after POST) asks: a GET without a body or its content headers.
        const headers = new Headers(init.headers);
        for (const name of contentHeaders) headers.delete(name);
        init = { ...init, method: method === "HEAD" ? "HEAD" : "GET", headers, body: null };
      }
      url = next;
      response = await this.#sendOne(url, init, token);
    }
  }

  #sendOne(url: URL, init: RequestInit, token: Token): Promise<Response> {
    const { dpop, fetch } = this.#config;
    if (token.tokenType === "DPoP" && dpop) {
      return dpop.send({ url, init, replayable: isReplayable(init.body), accessToken: token.accessToken, handle: (this.#dpop ??= dpop.handle()), fetch });
    }
    if (token !== this.#token) {
      this.#token = token;
      this.#authorization = `Bearer ${token.accessToken}`;
    }
    let headers: HeadersInit = { authorization: this.#authorization };
    if (init.headers !== undefined) {
      const merged = new Headers(init.headers);
      merged.set("authorization", this.#authorization);
      merged.delete("dpop");
      headers = merged;
    }
    return fetch(url, { ...init, headers, redirect: "manual" });
  }
}
