// The bindings declared in wrangler.toml (vars, the Durable Object) and set as secrets, as
// `cloudflare:workers` exposes them. In a project with @cloudflare/workers-types, TOKEN_STORE is
// a `DurableObjectNamespace`; tokenkeeper needs only the part it names here.
declare module "cloudflare:workers" {
  export const env: {
    TOKEN_ENDPOINT: string;
    API_BASE_URL: string;
    CLIENT_ID: string;
    /** A secret: `wrangler secret put CLIENT_SECRET`, never in wrangler.toml. */
    CLIENT_SECRET: string;
    TOKEN_STORE: import("tokenkeeper/stores/durable-object").DurableObjectNamespaceLike;
  };
  /** Extends the current request's lifetime until `promise` settles. */
  export function waitUntil(promise: Promise<unknown>): void;
}
