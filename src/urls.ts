const loopbackHosts = new Set(["localhost", "[::1]"]);

/**
 * Whether `url` names a loopback host: `localhost` itself or a literal loopback address
 * (`127.0.0.0/8`, `[::1]`, `[::ffff:127.x.x.x]`). Other names, `*.localhost` included, go through
 * a resolver that may answer anything.
 */
export function isLoopback(url: URL): boolean {
  return loopbackHosts.has(url.hostname) || /^127(?:\.\d{1,3}){3}$/.test(url.hostname) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(url.hostname);
}

/**
 * Whether a credential or token may be sent to `url`: https always; plain http only on loopback
 * and only when insecure requests are allowed.
 */
export function isSecureTarget(url: URL, allowInsecure: boolean): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && allowInsecure && isLoopback(url);
}

/**
 * Parses an option that must be an absolute https URL (or loopback http when allowed).
 * @throws {TypeError} Naming the option.
 */
export function parseEndpointUrl(value: unknown, option: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    if (typeof value !== "string" && !(value instanceof URL)) throw new TypeError();
    url = new URL(value);
  } catch {
    throw new TypeError(`${option}: must be an absolute URL, got ${describe(value)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError(`${option}: must not carry credentials in the URL`);
  }
  if (url.hash !== "") throw new TypeError(`${option}: must not have a fragment, got "${url.href}"`);
  if (!isSecureTarget(url, allowInsecure)) {
    const hint = url.protocol === "http:" && isLoopback(url) ? " (set [allowInsecureRequests] for loopback http)" : "";
    throw new TypeError(`${option}: must use https, got "${url.href}"${hint}`);
  }
  return url;
}

/** A short, safe description of an option value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : String(value);
}
