// keeper.fetch has the exact shape of global fetch, so any fetch-based client (openapi-fetch, ky,
// ofetch, a generated SDK) takes it as its `fetch` option. Here, a tiny typed client of the kind
// those libraries provide.
//   CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/with-fetch-client.ts
import { allowInsecureRequests, createTokenKeeper } from "../mod.ts"; // in your project: from "tokenkeeper"

/** A minimal JSON client that, like openapi-fetch or ky, accepts any `fetch`. */
function createClient(options: { baseUrl: string; fetch: typeof globalThis.fetch }) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await options.fetch(new URL(path, options.baseUrl), {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status}`);
    return (await res.json()) as T;
  }
  return {
    get: <T>(path: string): Promise<T> => request<T>("GET", path),
    post: <T>(path: string, body: unknown): Promise<T> => request<T>("POST", path, body),
  };
}

const tokenEndpoint = process.env["TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT"] ?? "https://auth.example.com/oauth2/token";
const baseUrl = process.env["TOKENKEEPER_EXAMPLE_API"] ?? "https://api.example.com";

const keeper = createTokenKeeper({
  tokenEndpoint,
  clientId: process.env["CLIENT_ID"] ?? "",
  clientSecret: process.env["CLIENT_SECRET"] ?? "",
  baseUrl,
  [allowInsecureRequests]: baseUrl.startsWith("http://"),
});

// The client knows nothing about OAuth: keeper.fetch attaches the token, refreshes it, and retries
// once on 401 invalid_token. It is a plain function, so it needs no binding.
const client = createClient({ baseUrl, fetch: keeper.fetch });

try {
  console.log(await client.get<{ ok: boolean }>("/v2/ping"));
  console.log(await client.post<{ ok: boolean }>("/v2/orders", { item: "book", quantity: 1 }));
} finally {
  await keeper.close();
}
