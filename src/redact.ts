/**
 * Collects the secret values one token request carries (client secret, client assertion, Basic
 * credential, issued tokens) so that nothing a hostile or buggy server echoes back can reach an
 * error message, snippet or description.
 */
export class Redactor {
  readonly #values: string[] = [];

  /** Remembers a secret value (values under 4 characters would redact ordinary words). */
  add(value: unknown): void {
    if (typeof value === "string" && value.length >= 4 && !this.#values.includes(value)) this.#values.push(value);
  }

  /** Remembers the secrets of an outgoing token request: body credentials and a Basic header. */
  addRequest(init: RequestInit | undefined): void {
    const body = init?.body;
    if (body instanceof URLSearchParams) {
      for (const name of ["client_secret", "client_assertion"]) this.add(body.get(name));
    }
    const authorization = new Headers(init?.headers).get("authorization");
    if (authorization === null) return;
    const credential = authorization.replace(/^\S+\s+/, "");
    this.add(credential);
    try {
      const decoded = atob(credential);
      const colon = decoded.indexOf(":");
      const secret = decoded.slice(colon + 1);
      this.add(decoded);
      this.add(secret);
      this.add(decodeURIComponent(secret.replace(/\+/g, " ")));
    } catch {
      // Not base64: the credential itself is already remembered.
    }
  }

  /** Remembers every token-like member of a response body. */
  addResponse(json: unknown): void {
    if (typeof json !== "object" || json === null) return;
    const record = json as Record<string, unknown>;
    for (const name of ["access_token", "refresh_token", "id_token"]) this.add(record[name]);
  }

  /** `text` with every remembered value replaced by `[redacted]`. */
  scrub(text: string): string;
  scrub(text: string | undefined): string | undefined;
  scrub(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join("[redacted]");
    return out;
  }
}
