// Expiry under load: short-lived tokens, concurrent workers, each getting a token and calling a
// resource that rejects tokens older than their lifetime (server-side issue time).
import type { TokenServer } from "../server.ts";
import type { Instance } from "../subjects/index.ts";

export interface ExpiryResult {
  tokenRequests: number;
  calls: number;
  expired: number;
  /** Calls that started after warm-up and got a token issued after they started: they waited on a refresh. */
  waited: number;
  /** Calls counted for `waited`: those that started after warm-up. */
  afterWarmup: number;
  errors: number;
}

export async function measureExpiry(
  instance: Instance,
  server: TokenServer,
  { workers = 20, durationMs = 10_000 } = {},
): Promise<ExpiryResult> {
  server.reset();
  const t0 = performance.now();
  // Warm-up ends when the first token reaches a caller (the cold start is the burst test's job).
  let warmEnd = Infinity;
  let calls = 0, waited = 0, afterWarmup = 0, errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() - t0 < durationMs) {
        const started = performance.now();
        let token: string;
        try {
          token = instance.tokenOf(await instance.getToken());
        } catch {
          errors++;
          continue;
        }
        if (warmEnd === Infinity) warmEnd = performance.now();
        if (started >= warmEnd) {
          afterWarmup++;
          if ((server.issuedAt(token) ?? -Infinity) > started) waited++;
        }
        calls++;
        const res = await fetch(server.resourceUrl, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
      }
    }),
  );
  return { tokenRequests: server.tokenRequests(), calls, expired: server.expiredRejections(), waited, afterWarmup, errors };
}
