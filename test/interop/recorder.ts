// A fetch wrapper that sees what the keeper sends and what comes back, before the keeper acts on it
// (a 401 that the keeper answers with a retry is still seen here).
import type { FetchLike } from "../../mod.ts";

/** One request the keeper sent and the status it got. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  /** When the request was handed to the network (`Date.now()`). */
  readonly sentAt: number;
  /** The request's `Authorization` header, when it had one. */
  readonly authorization: string | null;
  readonly status: number;
  /** For a successful token request: the token and its `expires_in`. */
  readonly issued?: { readonly accessToken: string; readonly expiresIn: number | undefined };
}

/** The wrapped fetch and what went through it. */
export interface Recorder {
  /** Pass this to the keeper. */
  readonly fetch: FetchLike;
  /** Every exchange, in the order the responses arrived. */
  readonly exchanges: Exchange[];
  /** The exchanges with the token endpoint. */
  tokenRequests(): Exchange[];
  /** The exchanges with anything but the token endpoint and metadata. */
  resourceRequests(): Exchange[];
}

async function issuedBy(response: Response): Promise<Exchange["issued"]> {
  const json = (await response.clone().json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
  if (typeof json?.access_token !== "string") return undefined;
  return { accessToken: json.access_token, expiresIn: json.expires_in === undefined ? undefined : Number(json.expires_in) };
}

/**
 * Records every exchange that goes through `base`.
 *
 * @param base The fetch that reaches the server.
 * @param tokenEndpoint The token endpoint URL, to tell token requests apart.
 * @returns The recorder.
 */
export function record(base: FetchLike, tokenEndpoint: string): Recorder {
  const exchanges: Exchange[] = [];
  const isToken = (e: Exchange): boolean => e.url === tokenEndpoint;
  const isMetadata = (e: Exchange): boolean => new URL(e.url).pathname.startsWith("/.well-known/");
  return {
    exchanges,
    async fetch(input, init) {
      const request = new Request(input, init);
      const sentAt = Date.now();
      const response = await base(request);
      const issued = request.url === tokenEndpoint && response.status === 200 ? await issuedBy(response) : undefined;
      exchanges.push({
        method: request.method,
        url: request.url,
        sentAt,
        authorization: request.headers.get("authorization"),
        status: response.status,
        ...(issued === undefined ? {} : { issued }),
      });
      return response;
    },
    tokenRequests: () => exchanges.filter(isToken),
    resourceRequests: () => exchanges.filter((e) => !isToken(e) && !isMetadata(e)),
  };
}
