// Burst: N concurrent `getToken()` on a cold cache; how many token requests reach the server.
import type { Instance } from "../subjects/index.ts";
import type { TokenServer } from "../server.ts";

export interface BurstResult {
  tokenRequests: number;
  /** Calls that rejected (for peers without single flight: sockets refused or reset under the load). */
  failed: number;
  /** Calls still pending when the run was cut short. */
  timedOut: number;
  ms: number;
}

export async function measureBurst(
  instance: Instance,
  server: TokenServer,
  { callers = 10_000, limitMs = 15_000 } = {},
): Promise<BurstResult> {
  server.reset();
  let failed = 0;
  let settled = 0;
  const t0 = performance.now();
  const all = Promise.all(
    Array.from({ length: callers }, () =>
      instance.getToken().then(
        () => void settled++,
        () => void (settled++, failed++),
      ),
    ),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, limitMs)))]);
  clearTimeout(timer);
  const ms = Math.round(performance.now() - t0);
  // Let stragglers (requests sent but not yet answered) be counted.
  await new Promise((r) => setTimeout(r, 100));
  return { tokenRequests: server.tokenRequests(), failed, timedOut: callers - settled, ms };
}
