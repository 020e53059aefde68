// The doctor's discovery step: the authorization server's metadata (RFC 8414, then OpenID
// Connect Discovery), and what it says about this client's configuration.
import { BODY_LIMIT_BYTES, readAtMost, utf8 } from "./bounded-read.ts";
import type { Report } from "./report.ts";

const TIMEOUT_MS = 10_000;

/** Metadata found at a well-known URL. */
export interface FoundMetadata {
  /** Where it was found. */
  readonly url: string;
  /** The metadata document. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** The well-known URLs of an issuer: RFC 8414 §3.1 (path inserted), then OpenID Connect Discovery. */
export function wellKnownUrls(issuer: URL): string[] {
  const path = issuer.pathname === "/" ? "" : issuer.pathname.replace(/\/$/, "");
  return [`${issuer.origin}/.well-known/oauth-authorization-server${path}`, `${issuer.origin}${path}/.well-known/openid-configuration`];
}

/**
 * Fetches the first metadata document found at `urls`.
 *
 * @param urls The well-known URLs, in order.
 * @param fetchImpl The fetch to use.
 * @returns The metadata, or what each URL answered instead.
 */
export async function fetchMetadata(urls: readonly string[], fetchImpl: typeof fetch): Promise<{ found?: FoundMetadata; tried: string[] }> {
  const tried: string[] = [];
  for (const url of urls) {
    try {
      const response = await fetchImpl(url, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
      const type = response.headers.get("content-type") ?? "no content type";
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        tried.push(`${url} answered ${response.status}${response.status >= 300 && response.status < 400 ? ` (a redirect to ${response.headers.get("location")}: not followed)` : ""}`);
        continue;
      }
      const { bytes, overLimit } = await readAtMost(response);
      if (overLimit) {
        tried.push(`${url} answered 200 with a body over ${BODY_LIMIT_BYTES} bytes: read no further (tokenkeeper reads at most ${BODY_LIMIT_BYTES / 1024} KiB)`);
        continue;
      }
      const json = (() => { try { return JSON.parse(utf8(bytes)) as unknown; } catch { return undefined; } })();
      if (typeof json !== "object" || json === null || Array.isArray(json)) {
        tried.push(`${url} answered 200 but not a JSON object (${type})`);
        continue;
      }
      return { found: { url, json: json as Record<string, unknown> }, tried };
    } catch (error) {
      tried.push(`${url} failed: ${(error as Error).name === "TimeoutError" ? "timeout" : ((error as Error).cause as Error)?.message ?? (error as Error).message}`);
    }
  }
  return { tried };
}

function list(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

/**
 * Reports what the metadata says about this client: issuer, token endpoint, the client
 * authentication methods and grant types advertised.
 *
 * @param metadata The metadata found.
 * @param expected The configured issuer (discovery) or token endpoint (a static endpoint).
 * @param method The configured client authentication method.
 * @param report Where findings go.
 * @returns The advertised token endpoint authentication methods, when listed.
 */
export function checkMetadata(metadata: FoundMetadata, expected: { issuer?: string; tokenEndpoint?: string }, method: string, report: Report): string[] | undefined {
  const { json } = metadata;
  const strict = expected.issuer !== undefined;
  report.add("ok", `metadata at ${metadata.url}`);
  if (strict) {
    if (json["issuer"] === expected.issuer) report.add("ok", `issuer ${JSON.stringify(json["issuer"])} matches exactly`);
    else report.add("fail", `the metadata names issuer ${JSON.stringify(json["issuer"])}, not ${JSON.stringify(expected.issuer)}: RFC 8414 §3.3 wants an exact match`);
  }
  const endpoint = json["token_endpoint"];
  if (typeof endpoint !== "string" || !URL.canParse(endpoint)) report.add(strict ? "fail" : "note", "the metadata has no valid token_endpoint");
  else if (strict) report.add(new URL(endpoint).protocol === "https:" ? "ok" : "fail", `token endpoint ${endpoint}`);
  else if (endpoint !== expected.tokenEndpoint) report.add("note", `the metadata's token_endpoint is ${endpoint}, not the configured ${expected.tokenEndpoint}`);
  const methods = list(json["token_endpoint_auth_methods_supported"]);
  if (methods === undefined) {
    report.add(method === "client_secret_basic" ? "ok" : "note", `no token_endpoint_auth_methods_supported: RFC 8414 then means client_secret_basic only (configured: ${method})`);
  } else if (methods.includes(method)) {
    report.add("ok", `client authentication ${method} is advertised (${methods.join(", ")})`);
  } else {
    report.add("warn", `client authentication ${method} is not advertised; the server lists ${methods.join(", ") || "none"}${suggestion(methods)}`);
  }
  const grants = list(json["grant_types_supported"]);
  if (grants === undefined) report.add("note", "no grant_types_supported in the metadata");
  else if (grants.includes("client_credentials")) report.add("ok", "grant type client_credentials is advertised");
  else report.add("warn", `grant type client_credentials is not advertised (${grants.join(", ")})`);
  return methods;
}

/** The --auth option that matches an advertised method, as a hint. */
export function suggestion(methods: readonly string[]): string {
  const usable = ["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt"].find((m) => methods.includes(m));
  return usable ? `: try --auth ${usable}` : "";
}
