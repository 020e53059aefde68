import * as oauth from "oauth4webapi";
import { TokenKeeperError } from "./errors.ts";
import type { Config } from "./options.ts";
import type { AccessToken, FetchLike } from "./types.ts";
import { isSecureTarget } from "./urls.ts";
import { parseChallenges, tokenChallenge } from "./www-authenticate.ts";

/** What the fetch wrapper needs from its keeper. */
export interface TokenAccess {
  getToken(signal: AbortSignal | undefined): Promise<AccessToken>;
  invalidate(accessToken: string): Promise<void>;
  readonly dpop: oauth.DPoPHandle | undefined;
}

const maxRedirects = 20;
const redirectStatus = new Set([301, 302, 303, 307, 308]);

/**
 * Builds `keeper.fetch()`: the shape of global `fetch`, sending the token only to allowed origins
 * over https, following only same-origin redirects (with the token), and retrying once with a new
 * token after `401 invalid_token`.
 */
export function authorizedFetch(config: Config, keeper: TokenAccess): FetchLike {
  return async function fetchWithToken(input, init) {
    const template = toRequest(input, init, config.baseUrl);
    checkOrigin(new URL(template.url), config);
    // A ReadableStream body can be sent once; anything else is replayed from the untouched template.
    const replayable = !(init?.body instanceof ReadableStream);
    const signal = init?.signal ?? undefined;
    let token = await keeper.getToken(signal ?? template.signal);
    let response = await send(template, replayable, token, config, keeper);
    if (!isInvalidToken(response)) return response;
    await keeper.invalidate(token.accessToken);
    if (!replayable) {
      await response.body?.cancel().catch(() => {});
      throw new TokenKeeperError("BODY_NOT_REPLAYABLE", "fetch failed: the token was rejected (401 invalid_token) and a stream body cannot be sent again", { status: 401 });
    }
    await response.body?.cancel().catch(() => {});
    token = await keeper.getToken(signal ?? template.signal);
    response = await send(template, false, token, config, keeper);
    return response;
  };
}

function toRequest(input: string | URL | Request, init: RequestInit | undefined, baseUrl: URL | undefined): Request {
  if (input instanceof Request) return new Request(input, init);
  let url: URL;
  try {
    url = new URL(input, baseUrl);
  } catch {
    throw new TypeError(`fetch: "${String(input)}" is not an absolute URL and no baseUrl is configured`);
  }
  return new Request(url, init);
}

function checkOrigin(url: URL, config: Config): void {
  if (!config.allowedOrigins.has(url.origin) || !isSecureTarget(url, config.allowInsecure)) {
    throw new TokenKeeperError("ORIGIN_NOT_ALLOWED", `fetch refused: the token may not be sent to "${url.origin}" (allowed: baseUrl and allowedOrigins, https only)`);
  }
}

/** RFC 6750 §3.1: retry after `invalid_token`, or a 401 that names no other error. */
function isInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const error = tokenChallenge(parseChallenges(response.headers.get("www-authenticate")))?.["error"];
  return error === undefined || error === "invalid_token";
}

/** Sends `template` with the token, following same-origin redirects by hand. */
async function send(template: Request, keepTemplate: boolean, token: AccessToken, config: Config, keeper: TokenAccess): Promise<Response> {
  const mode = template.redirect;
  let request = keepTemplate ? template.clone() : template;
  for (let hops = 0;; hops++) {
    const response = await sendOne(request, token, config, keeper);
    if (!redirectStatus.has(response.status) || mode === "manual") return response;
    const location = response.headers.get("location");
    if (location === null) return response;
    if (mode === "error") {
      await response.body?.cancel().catch(() => {});
      throw new TypeError("fetch failed: redirect mode is \"error\"");
    }
    const next = new URL(location, request.url);
    // The token never follows a redirect to another origin (RFC 6750 §5.3): hand the 3xx back.
    if (next.origin !== new URL(request.url).origin || !isSecureTarget(next, config.allowInsecure) || hops >= maxRedirects) {
      return response;
    }
    await response.body?.cancel().catch(() => {});
    const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && request.method === "POST");
    if (!toGet && template.body !== null && !keepTemplate) return response;
    const source = toGet || template.body === null ? undefined : template.clone().body;
    const headers = new Headers(template.headers);
    if (toGet) for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(name);
    request = new Request(next, {
      method: toGet && request.method !== "HEAD" ? "GET" : request.method,
      headers,
      body: source ?? null,
      signal: template.signal,
      redirect: "manual",
      ...(source ? { duplex: "half" } : {}),
    } as RequestInit);
  }
}

async function sendOne(request: Request, token: AccessToken, config: Config, keeper: TokenAccess): Promise<Response> {
  if (token.tokenType === "DPoP" && keeper.dpop) return sendWithDPoP(request, token, config, keeper.dpop);
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${token.accessToken}`);
  headers.delete("dpop");
  return config.fetch(new Request(request, { headers, redirect: "manual" }));
}

/** DPoP-bound tokens: oauth4webapi adds the proof (and retries once on `use_dpop_nonce`). */
async function sendWithDPoP(request: Request, token: AccessToken, config: Config, dpop: oauth.DPoPHandle): Promise<Response> {
  const spare = request.body === null ? undefined : request.clone();
  const attempt = async (source: Request) => {
    const headers = new Headers(source.headers);
    headers.delete("authorization");
    headers.delete("dpop");
    try {
      return await oauth.protectedResourceRequest(token.accessToken, source.method, new URL(source.url), headers, null, {
        DPoP: dpop,
        signal: source.signal,
        [oauth.allowInsecureRequests]: config.allowInsecure,
        [oauth.customFetch]: (_url, init) => config.fetch(new Request(source, { headers: init.headers, redirect: "manual" })),
      });
    } catch (error) {
      if (error instanceof oauth.WWWAuthenticateChallengeError) {
        if (oauth.isDPoPNonceError(error)) return undefined;
        return error.response;
      }
      throw error;
    }
  };
  const first = await attempt(request);
  if (first !== undefined) return first;
  const retried = await attempt(spare ?? request);
  if (retried === undefined) throw new TokenKeeperError("HTTP_ERROR", "fetch failed: the resource server kept demanding a new DPoP nonce", { status: 401 });
  return retried;
}
