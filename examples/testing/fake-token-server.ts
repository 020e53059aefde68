// A fake token endpoint and API for the tests of code that uses tokenkeeper: one function, no
// dependency, no port. Pass its `fetch` as the keeper's `fetch` option (tokenkeeper uses it for
// the token endpoint and for keeper.fetch) and no request leaves the process. Copy it into your
// tests and grow it as your API needs.

export interface FakeTokenServerOptions {
  /** The credentials the token endpoint accepts (client_secret_post or client_secret_basic). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** `expires_in` of the tokens it issues, in seconds. @default 3600 */
  readonly expiresIn?: number;
  /** Answers an API request that carries a valid token. @default 200 `{ "ok": true, "path": … }` */
  readonly api?: (request: Request) => Response | Promise<Response>;
}

export interface FakeTokenServer {
  /** Pass as the keeper's `fetch`. Token requests go to any URL whose path ends in /token. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The forms of the token requests received, in order (they hold the client secret: do not print them). */
  readonly tokenRequests: URLSearchParams[];
  /** Makes the API answer 401 `invalid_token` to `token` from now on, as after a revocation. */
  revoke(token: string): void;
}

export function fakeTokenServer(options: FakeTokenServerOptions): FakeTokenServer {
  const tokenRequests: URLSearchParams[] = [];
  const valid = new Set<string>();
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname.endsWith("/token")) {
      const form = new URLSearchParams(await request.text());
      tokenRequests.push(form);
      const basic = request.headers.get("authorization")?.match(/^Basic (.+)$/i)?.[1];
      const [id, secret] = basic ? atob(basic).split(":").map((part) => decodeURIComponent(part.replace(/\+/g, " "))) : [form.get("client_id"), form.get("client_secret")];
      if (form.get("grant_type") !== "client_credentials") return json({ error: "unsupported_grant_type" }, 400);
      if (id !== options.clientId || secret !== options.clientSecret) return json({ error: "invalid_client" }, 401);
      const token = `fake-token-${tokenRequests.length}`;
      valid.add(token);
      return json({ access_token: token, token_type: "Bearer", expires_in: options.expiresIn ?? 3600 });
    }
    const token = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1];
    if (token === undefined || !valid.has(token)) return json({ error: "invalid_token" }, 401, { "www-authenticate": 'Bearer error="invalid_token"' });
    return options.api ? options.api(request) : json({ ok: true, path: url.pathname });
  }

  return {
    fetch: (input, init) => handle(new Request(input, init)),
    tokenRequests,
    revoke: (token) => void valid.delete(token),
  };
}
