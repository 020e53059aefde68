import type { Scenario } from "../scenario.ts";
import { NO_STORE } from "../fake/reply.ts";
import { stalledEndpoint } from "./_helpers.ts";
import { TOKEN_MANAGER } from "./_basis.ts";

// The token endpoint sends 200 and its headers at once, then the body one byte every 20 ms,
// forever: a deadline that stops at the headers never fires. Needs `timeout` (env.timeoutMs).
export default {
  id: "FAULT-03",
  title: "Token response body trickles forever: the deadline covers the body, then recover",
  severity: "ROBUST",
  basis: [TOKEN_MANAGER],
  source: "RFC 9700 §4 (availability); DESIGN (default timeout covering headers and body)",
  requires: { subject: ["fetch", "timeout"] },
  run: (ctx) =>
    stalledEndpoint(ctx, "body trickles forever", {
      headers: { "content-type": "application/json;charset=UTF-8", ...NO_STORE },
      stream: { parts: ['{"access_token":"'], intervalMs: 20, forever: true },
    }),
} satisfies Scenario;
