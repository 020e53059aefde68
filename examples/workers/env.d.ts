// Types for the Workers examples; @cloudflare/workers-types (or `wrangler types`) has them all.
// The bindings of wrangler.toml (vars, the KV namespace) and the CLIENT_SECRET secret, as
// `cloudflare:workers` exposes them at module scope.
declare module "cloudflare:workers" {
  export const env: {
    TOKEN_ENDPOINT: string;
    API_BASE_URL: string;
    CLIENT_ID: string;
    /** A secret: `npx wrangler secret put CLIENT_SECRET`, never in wrangler.toml. */
    CLIENT_SECRET: string;
    /** A KV namespace (examples/workers/kv-store.ts). */
    TOKENS: import("tokenkeeper/stores/workers-kv").WorkersKvNamespaceLike;
  };
  /** Extends the current request's lifetime until `promise` settles. */
  export function waitUntil(promise: Promise<unknown>): void;
}

/** The third argument of a module worker's `fetch(request, env, ctx)`. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
