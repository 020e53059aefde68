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
