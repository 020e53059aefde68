import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { callCounter, setup, within } from "./_helpers.ts";

// A 429 storm: for 1.5 s (real time, from the first token request) the token endpoint answers
// 429 with Retry-After: 1. 40 API calls start at once and 40 more 300 ms later, in the middle of
// the backoff. Callers must share one backoff: after a 429 no token request comes before
// Retry-After has elapsed, whoever the caller; requests stay few; once the storm is over every
// caller is served (a subject that retries twice, honouring Retry-After, gets there).
const RETRY_AFTER_MS = 1000;
const STORM_MS = 1500;
const WAVE = 40;

export default {
  id: "FAULT-05",
  title: "429 storm: concurrent callers share one Retry-After backoff, requests stay bounded",
  severity: "ROBUST",
  basis: [robust("RFC 9110 §10.2.3", 'Retry-After says how long the user agent "ought to wait": no SHOULD binds the client; sharing one backoff among callers is a token manager\'s job')],
  source: "RFC 6585 §4; RFC 9110 §10.2.3 (Retry-After); RFC 9700 §4 (availability)",
  requires: { subject: ["fetch"] },
  async run(ctx) {
    let stormUntil: number | undefined;
    const answers: { at: number; status: number }[] = [];
    const { server, instance } = await setup(ctx, {
      token: (req) => {
        stormUntil ??= req.realTime + STORM_MS;
        const storming = req.realTime < stormUntil;
        answers.push({ at: req.realTime, status: storming ? 429 : 200 });
        return storming ? { status: 429, headers: { "retry-after": String(RETRY_AFTER_MS / 1000), "content-type": "text/plain" }, body: "Too Many Requests" } : undefined;
      },
    });
    const api = callCounter(ctx);
    const wave = () => Array.from({ length: WAVE }, () => within(api.call(instance), 10_000));
    const first = wave();
    await new Promise((r) => setTimeout(r, 300));
    const second = wave();
    const results = await Promise.all([...first, ...second]);
    const stuck = results.filter((r) => r === "stuck").length;
    const tokenRequests = server.tokenRequests().length;
    ctx.metrics({ apiCalls: api.calls, failedCalls: api.failed + stuck, tokenRequests });
    // Every request after a 429 must wait out its Retry-After (100 ms of slack for timer skew).
    const early = answers.filter((a, i) => i > 0 && answers.slice(0, i).some((b) => b.status === 429 && a.at < b.at + RETRY_AFTER_MS - 100));
    const limited = answers.filter((a) => a.status === 429).length;
    ctx.check(early.length === 0, `${early.length} token request(s) sent before a Retry-After had elapsed`);
    ctx.check(tokenRequests <= 5, `${tokenRequests} token requests (${limited} answered 429) for ${2 * WAVE} concurrent API calls`);
    ctx.check(stuck === 0 && api.failed === 0, `after the storm: ${api.failed + stuck} of ${2 * WAVE} API calls failed (${api.describeFailures()}${stuck ? `, ${stuck} stuck` : ""})`);
    ctx.evidence(`${limited} answered 429, none early; every caller served once the storm passed`);
  },
} satisfies Scenario;
