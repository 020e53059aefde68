import type { Scenario } from "../scenario.ts";
import { stalledEndpoint } from "./_helpers.ts";
import { TOKEN_MANAGER } from "./_basis.ts";

// The token endpoint accepts the connection and never answers. Needs a subject that takes a token
// deadline (`timeout`: env.timeoutMs, 100 ms here); other subjects are n/a, since without a
// deadline the only outcome is a hang the suite can only cut short.
export default {
  id: "FAULT-02",
  title: "Token response headers never come: the deadline fires, API calls fail fast, then recover",
  severity: "ROBUST",
  basis: [TOKEN_MANAGER],
  source: "RFC 9700 §4 (availability); DESIGN (default timeout covering headers and body)",
  requires: { subject: ["fetch", "timeout"] },
  run: (ctx) => stalledEndpoint(ctx, "headers never come", { hang: true }),
} satisfies Scenario;
