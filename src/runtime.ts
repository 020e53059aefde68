/** Whether this looks like a browser page, where a client secret would ship to every user. */
export function isBrowser(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown };
  return typeof scope.window === "object" && scope.window !== null && typeof scope.document === "object" && scope.document !== null;
}

/** Whether this is Cloudflare workerd, where I/O is bound to the request that started it. */
export const isWorkerd: boolean = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === "Cloudflare-Workers";
