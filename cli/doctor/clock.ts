// The doctor's clock step: this machine's clock against the server's Date header.
import type { Report } from "./report.ts";

/** Below this, a difference is the Date header's one-second resolution plus latency. */
const AGREE_S = 5;
/** Above this, JWTs made or checked across the two clocks start to fail. */
const SKEW_S = 60;

/**
 * Reports the skew between this machine's clock and the server's `Date` header.
 *
 * @param date The `Date` header of the token response, when there was one.
 * @param receivedAt When that response arrived, by this machine's clock (ms).
 * @param report Where findings go.
 * @returns The server's time (ms), when the header was readable.
 */
export function checkClock(date: string | null, receivedAt: number, report: Report): number | undefined {
  const server = date === null ? NaN : Date.parse(date);
  if (Number.isNaN(server)) {
    report.add("note", "the token endpoint sent no readable Date header: clock skew not measured");
    return undefined;
  }
  const skew = Math.round((receivedAt - server) / 1000);
  const words = `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} the server's (Date header)`;
  if (Math.abs(skew) <= AGREE_S) report.add("ok", `this machine's clock agrees with the server's Date header (within ${AGREE_S} s)`);
  else if (Math.abs(skew) <= SKEW_S) report.add("note", words);
  else report.add("warn", `${words}: private_key_jwt assertions and tokens checked across the two clocks may be refused`);
  return server;
}
