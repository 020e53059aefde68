import type { Scenario } from "../scenario.ts";
import { callCounter, setup } from "./_helpers.ts";
import { TOKEN_MANAGER } from "./_basis.ts";

// Flapping across refreshes: the first token comes at once; then refreshes alternate between bad
// and good. In a bad one the token endpoint answers 503 from the first attempt until 15 s before
// the current token expires (at least 20 s), through the soft and the hard refresh windows; a good
// one is answered at once. 15 minutes of 5-minute tokens (fake clock), an API call every 5 s: two
// bad refreshes and one good one. A still-valid token keeps serving while a refresh fails, so no
// API call fails; the failed refreshes are reported (an event or log line, or a caller error); and
// the subject does not spin (at most 3 token requests per API call made in a bad phase).
const STEP_MS = 5_000;
const DURATION_MS = 15 * 60_000;
const RECOVER_BEFORE_EXPIRY_MS = 15_000;
const MIN_BAD_MS = 20_000;
// Words only: a bare "503" would also match numbers in unrelated lines (an 8-hex-digit token hash,
// a counter), and a report of a failure names it.
const reports = /fail|error|retry/i;

export default {
  id: "FAULT-06",
  title: "Flapping 5xx (503 and 200 alternating across refreshes): valid tokens keep serving, failures reported",
  severity: "ROBUST",
  basis: [TOKEN_MANAGER],
  source: "DESIGN (resilience: a valid token keeps serving); RFC 9700 §4 (availability)",
  requires: { subject: ["clock", "fetch"] },
  async run(ctx) {
    let badUntil: number | undefined;
    let answered503 = 0;
    let callsInBadPhases = 0;
    const bad = () => badUntil !== undefined && ctx.clock.now() < badUntil;
    const { server, instance } = await setup(ctx, {
      expiresIn: 300,
      token: (_req, s) => {
        // Refresh number n is the request for token n + 1: odd refreshes are bad.
        if (s.issued.length % 2 === 0) return undefined;
        const now = ctx.clock.now();
        badUntil ??= Math.max(s.issued.at(-1)!.expiresAt! - RECOVER_BEFORE_EXPIRY_MS, now + MIN_BAD_MS);
        if (now >= badUntil) {
          badUntil = undefined;
          return undefined;
        }
        answered503++;
        return { status: 503, headers: { "content-type": "text/plain" }, body: "Service Unavailable" };
      },
    });
    const api = callCounter(ctx);
    for (let t = 0; t <= DURATION_MS; t += STEP_MS) {
      if (t > 0) ctx.clock.advance(STEP_MS);
      const inBadPhase = bad();
      await api.call(instance);
      if (inBadPhase || bad()) callsInBadPhases++;
    }
    const loggedFailures = ctx.logs.filter((l) => reports.test(l)).length;
    const tokenRequests = server.tokenRequests().length;
    const refreshes = server.issued.length - 1;
    ctx.metrics({ apiCalls: api.calls, failedCalls: api.failed, tokenRequests });
    ctx.check(api.failed === 0, `${api.failed} of ${api.calls} API calls failed while refreshes flapped (${api.describeFailures()})`);
    ctx.check(refreshes >= 3, `${refreshes} refreshes in 15 minutes of 5-minute tokens`);
    ctx.check(answered503 <= 3 * callsInBadPhases, `${answered503} token requests answered 503 for ${callsInBadPhases} API calls made in bad phases`);
    ctx.check(answered503 === 0 || loggedFailures > 0 || api.failed > 0, `failed refreshes reported: ${loggedFailures} event/log lines, ${api.failed} caller errors`);
    ctx.evidence(`${refreshes} refreshes (bad ones: ${answered503} requests answered 503, ${callsInBadPhases} API calls meanwhile); ${loggedFailures} failure events`);
  },
} satisfies Scenario;
