// undici: an interceptor that puts the keeper's token on the requests a Dispatcher sends to the
// origins you allow, so that any undici-based client gets it: undici's request() and fetch(), and
// every client that takes a `dispatcher`. Like keeper.fetch, it gets a new token and sends the
// request once more when the API answers 401 about the token (no challenge, or a Bearer challenge
// with invalid_token or no error), if the body can be sent again (none, a string or bytes); a
// streamed body's 401 reaches the caller, as does a second 401. Compose undici's redirect
// interceptor inside it if you follow redirects: that one drops Authorization on a cross-origin hop.
import type { IncomingHttpHeaders } from "node:http";
import { Agent, type Dispatcher, fetch, request } from "undici";
import { createTokenKeeper, type TokenKeeper, type TokenKeeperOptions } from "tokenkeeper";
import { toFakeNetwork } from "./shared/fake-undici.ts";

/** Adds `Authorization: Bearer <token>` to requests for `origins`; leaves every other request alone. */
export function bearerTokens(keeper: TokenKeeper, origins: readonly string[]): Dispatcher.DispatcherComposeInterceptor {
  const allowed = new Set(origins.map((origin) => new URL(origin).origin));
  return (dispatch) => (options, handler) => {
    if (options.origin === undefined || !allowed.has(new URL(options.origin).origin)) return dispatch(options, handler);
    const fail = (error: unknown) => handler.onResponseError?.(null as never, error as Error);
    const send = (accessToken: string, retry: boolean) =>
      dispatch({ ...options, headers: withAuthorization(options.headers, accessToken) }, retry ? new RetryOnce(handler, () => {
        // The token was rejected: drop it (only it), get another, and send the request again once.
        keeper.invalidate(accessToken).then(() => keeper.getToken()).then(({ accessToken }) => send(accessToken, false), fail);
      }) : handler);
    keeper.getToken().then(({ accessToken }) => send(accessToken, replayable(options.body)), fail);
    return true;
  };
}

/** Passes the response through, unless it is a 401 about the token: then it is dropped and `retry` runs. */
class RetryOnce implements Dispatcher.DispatchHandler {
  readonly handler: Dispatcher.DispatchHandler;
  readonly retry: () => void;
  #rejected = false;
  constructor(handler: Dispatcher.DispatchHandler, retry: () => void) {
    this.handler = handler;
    this.retry = retry;
  }
  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }
  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, message?: string): void {
    const challenge = [headers["www-authenticate"] ?? []].flat().join(", ");
    this.#rejected = status === 401 && (challenge === "" || (/\bBearer\b/i.test(challenge) && (!/\berror=/i.test(challenge) || /\berror="?invalid_token\b/i.test(challenge))));
    if (!this.#rejected) this.handler.onResponseStart?.(controller, status, headers, message);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#rejected) this.handler.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    if (this.#rejected) this.retry();
    else this.handler.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.handler.onResponseError?.(controller, error);
  }
}

function replayable(body: Dispatcher.DispatchOptions["body"]): boolean {
  return body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
}

/** The request's headers, whatever form undici got them in, with Authorization replaced. */
function withAuthorization(headers: Dispatcher.DispatchOptions["headers"], accessToken: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[] | undefined) => {
    if (value !== undefined && name.toLowerCase() !== "authorization") out[name] = value;
  };
  if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) add(String(headers[i]), String(headers[i + 1]));
  else if (headers && Symbol.iterator in headers) for (const [name, value] of headers as Iterable<[string, string | string[] | undefined]>) add(name, value);
  else if (headers) for (const [name, value] of Object.entries(headers)) add(name, value);
  out["authorization"] = `Bearer ${accessToken}`;
  return out;
}

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

// CI only: undici's own requests reach the fake API through this interceptor, under the token's
// (examples/shared/fake-network.ts reroutes the global fetch only). An application has new Agent().
const agent = process.env.TOKENKEEPER_FAKE_NETWORK ? new Agent().compose(toFakeNetwork) : new Agent();

const dispatcher = agent.compose(bearerTokens(keeper, ["https://api.example.com"]));

const { statusCode, body } = await request("https://api.example.com/v2/accounts", { dispatcher });
console.log(statusCode, await body.json());
const res = await fetch("https://api.example.com/v2/orders", { dispatcher, method: "POST", body: JSON.stringify({ item: "book" }), headers: { "content-type": "application/json" } });
console.log(res.status, await res.json());
await keeper.close();
await agent.close();
