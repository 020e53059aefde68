// The parts of workerd's `cloudflare:workers` module the workerd tests use.
declare module "cloudflare:workers" {
  /** The worker's bindings, readable at module scope. */
  export const env: Record<string, string | undefined>;
  /** Extends the current request's lifetime until `promise` settles. */
  export function waitUntil(promise: Promise<unknown>): void;
}
