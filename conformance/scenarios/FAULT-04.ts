import { describe } from "../harness.ts";
import { NO_STORE } from "../fake/reply.ts";
import type { Reply } from "../fake/reply.ts";
import type { FakeServer } from "../fake/server.ts";
import type { Scenario, ScenarioContext } from "../scenario.ts";
import type { FetchLike } from "../types.ts";
import { callCounter, within } from "./_helpers.ts";
import { TOKEN_MANAGER } from "./_basis.ts";

// The token endpoint sends 200, its headers and part of the JSON, then the connection breaks.
// In-process the body is a ReadableStream that errors after the bytes (every runtime). Where the
// host serves real HTTP (`real_http`: Node), the same runs again over a loopback socket that is
// destroyed mid-body; elsewhere that variant is noted as not run, and the scenario still grades.
const resetMidBody: Reply = {
  headers: { "content-type": "application/json;charset=UTF-8", ...NO_STORE },
  stream: { parts: ['{"access_token":"SENTINEL_AT_cut', '-short"'], intervalMs: 5, thenReset: true },
};

interface Outcome {
  calls: number;
  failed: number;
  tokenRequests: number;
  line: string;
}

/** A fake AS whose token responses reset while `state.resets` is above 0 (counting down). */
function resettingServer(ctx: ScenarioContext, state: { resets: number }): FakeServer {
  return ctx.server({ token: () => (state.resets-- > 0 ? resetMidBody : undefined) });
}

/** Phase 1: every response resets; 3 concurrent calls. Phase 2: one reset, then answers. */
async function phases(
  ctx: ScenarioContext,
  variant: string,
  state: { resets: number },
  server: FakeServer,
  fetch: FetchLike,
  tokenEndpoint: string,
  insecure: boolean,
): Promise<Outcome> {
  state.resets = Infinity;
  const instance = await ctx.create(ctx.env(server, { fetch, tokenEndpoint, ...(insecure ? { allowInsecureLoopback: true } : {}) }));
  const api = callCounter(ctx);
  const first = await Promise.all(Array.from({ length: 3 }, () => within(api.call(instance), 8000)));
  const stuck = first.filter((r) => r === "stuck").length;
  const attempts = server.tokenRequests().length;
  const network = api.failures.get("network") ?? 0;
  ctx.check(stuck === 0, `${variant}: ${stuck} of 3 API calls still waiting 8 s after the reset`);
  ctx.check(network === 3, `${variant}: connection reset on every response → ${api.describeFailures()}`);
  ctx.check(attempts <= 3 * 4, `${variant}: ${attempts} token requests for 3 calls`);
  // Later: a subject may cool down after failures; a minute passes before the endpoint heals.
  ctx.clock.advance(60_000);
  state.resets = 1;
  const before = server.tokenRequests().length;
  const second = await within(api.call(instance), 8000);
  const retried = server.tokenRequests().length - before;
  const ok = second !== "stuck" && second.ok && second.value.status === 200;
  ctx.check(ok, `${variant}: one reset then a good response → the API call ${second === "stuck" ? "hung" : second.ok ? `got ${second.value.status}` : `failed (${describe(second)})`} after ${retried} token request(s)`);
  return {
    calls: api.calls,
    failed: api.failed + stuck + (second === "stuck" ? 1 : 0),
    tokenRequests: server.tokenRequests().length,
    line: `${variant}: 3 calls → ${api.describeFailures()} (${attempts} attempts), one reset → ${ok ? "served" : "failed"} (${retried} requests)`,
  };
}

export default {
  id: "FAULT-04",
  title: "Connection reset mid-body: typed network errors, bounded retries, recovery after one reset",
  severity: "ROBUST",
  basis: [TOKEN_MANAGER],
  source: "DESIGN (retries only for network errors, 408, 429, 5xx); CONFORMANCE ERR-06",
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const outcomes: Outcome[] = [];
    const local = { resets: 0 };
    const inProcess = resettingServer(ctx, local);
    outcomes.push(await phases(ctx, "in-process", local, inProcess, inProcess.fetch, inProcess.tokenEndpoint, false));
    if (ctx.host.http) {
      const remote = { resets: 0 };
      const real = resettingServer(ctx, remote);
      // A loopback HTTP listener in front of the fake AS; API calls stay in-process.
      const listener = await ctx.host.http.serve(async (request) => {
        const u = new URL(request.url);
        const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
        return real.app.fetch(new Request(`${real.issuer}${u.pathname}${u.search}`, { method: request.method, headers: request.headers, body }));
      });
      try {
        const tokenEndpoint = `${listener.url}/token`;
        const fetch: FetchLike = (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          return url.startsWith(listener.url) ? globalThis.fetch(input, init) : real.fetch(input, init);
        };
        outcomes.push(await phases(ctx, "real socket", remote, real, fetch, tokenEndpoint, true));
      } finally {
        await listener.close();
      }
    } else {
      ctx.note(`real-socket variant not run: host ${ctx.host.name} has no real_http listener`);
    }
    const sum = (k: "calls" | "failed" | "tokenRequests") => outcomes.reduce((n, o) => n + o[k], 0);
    ctx.metrics({ apiCalls: sum("calls"), failedCalls: sum("failed"), tokenRequests: sum("tokenRequests") });
    for (const o of outcomes) ctx.note(o.line);
    ctx.evidence(outcomes.map((o) => o.line).join("; "));
  },
} satisfies Scenario;
