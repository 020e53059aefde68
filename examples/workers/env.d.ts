// The bindings declared in wrangler.toml (vars) and set as secrets, as `cloudflare:workers` exposes them.
declare module "cloudflare:workers" {
  export const env: {
    TOKEN_ENDPOINT: string;
    API_BASE_URL: string;
    CLIENT_ID: string;
    /** A secret: `wrangler secret put CLIENT_SECRET`, never in wrangler.toml. */
    CLIENT_SECRET: string;
  };
  /** Extends the current request's lifetime until `promise` settles. */
  export function waitUntil(promise: Promise<unknown>): void;
}
