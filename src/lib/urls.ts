/**
 * Which plain-http targets a keeper may send a credential or token to: loopback hosts always
 * (what is sent there never crosses a network), and the hosts named in `dangerouslyAllowHttp`.
 * https is always allowed.
 */
export interface HttpPolicy {
  /** `dangerouslyAllowHttp`: http to these `host[:port]` names, exactly. */
  readonly hosts: ReadonlySet<string>;
}

const loopbackNames = new Set(["localhost", "[::1]"]);

/**
 * Whether `url` names a loopback host: `localhost` itself or a literal loopback address
 * (`127.0.0.0/8`, `[::1]`, `[::ffff:127.x.x.x]`). Other names, `*.localhost` included, go through
 * a resolver that may answer anything.
 */
export function isLoopback(url: URL): boolean {
  return loopbackNames.has(url.hostname) || /^127(?:\.\d{1,3}){3}$/.test(url.hostname) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(url.hostname);
}

/**
 * Whether a credential or token may be sent to `url`: https always; plain http to a loopback host,
 * or to a host `policy` names.
 */
export function isSecureTarget(url: URL, policy: HttpPolicy): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (isLoopback(url) || policy.hosts.has(url.host));
}

/**
 * `baseUrl` as `keeper.fetch()` resolves relative inputs against it: the URL as given, and its
 * path as a prefix ending in `/` (`https://api.example.com/v2` → `/v2/`).
 */
export interface BaseUrl {
  readonly url: URL;
  readonly prefix: URL;
  /** The prefix's path, `/` for none. */
  readonly path: string;
}

/** The {@link BaseUrl} of a `baseUrl` option (absolute, without query or fragment). */
export function baseUrlOf(url: URL): BaseUrl {
  const prefix = url.pathname.endsWith("/") ? url : new URL(`${url.pathname}/`, url);
  return { url, prefix, path: prefix.pathname };
}

/**
 * Resolves a string given to `keeper.fetch()`. An absolute URL, or a `//host` reference, is
 * resolved as the URL standard resolves it and used as it is (the caller checks its origin). A
 * path goes under the base's path, with or without a leading slash: with `baseUrl`
 * `https://api.example.com/v2`, `/accounts` and `accounts` are `…/v2/accounts`. A query or a
 * fragment alone goes on `baseUrl` as written (`?page=2` → `…/v2?page=2`).
 *
 * @returns The URL, or `undefined` when `text` is none (a relative one without `base` included).
 * @throws {TypeError} For a relative path that leaves the base's path (`../admin`, `%2e%2e/admin`).
 */
export function resolveInput(text: string, base: BaseUrl | undefined): URL | undefined {
  // At the root, a path cannot leave the prefix: the URL standard resolves every input right.
  if (base === undefined || base.path === "/") return parse(text, base?.url);
  // What the URL parser drops goes first: tabs and newlines ("/\t/host" is "//host"), and C0
  // controls and spaces at either end.
  const reference = text.replace(/[\t\n\r]|^[\0- ]+|[\0- ]+$/g, "");
  if (/^([?#]|$)/.test(reference)) return parse(reference, base.url);
  // "/accounts" as "./accounts"; a "//host" reference stays one.
  const url = parse(reference.replace(/^[/\\](?![/\\])/, "./"), base.prefix);
  // Whatever the parser made of the input, a relative one never lands outside the prefix.
  if (url?.origin === base.url.origin && !url.pathname.startsWith(base.path) && !URL.canParse(reference)) {
    throw new TypeError(`fetch: "${text}" leaves baseUrl's path "${base.path}"`);
  }
  return url;
}

function parse(text: string, base: URL | undefined): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}
