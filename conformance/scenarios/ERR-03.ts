import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

const HTML = `<html><head><title>Error</title></head><body>\u001b[31m${"x".repeat(5000)}\u0007</body></html>`;
const BODIES: [string, string, string][] = [
  ["html", "text/html", HTML],
  ["problem", "application/problem+json", JSON.stringify({ type: "about:blank", title: "Bad", detail: "y".repeat(3000) })],
  ["plain-json", "text/plain", JSON.stringify({ error: "server_error\u0000\u001b[2J" })],
  ["empty", "", ""],
];

export default {
  id: "ERR-03",
  title: "Non-JSON error bodies give an error with the status and a bounded, clean snippet",
  severity: "ROBUST",
  source: "stormpath#685, kanidm#4470",
  basis: [robust("stormpath#685, kanidm#4470", "no RFC covers non-JSON error bodies; a bounded, clean snippet with the status keeps logs readable and safe")],
  async run(ctx) {
    await control(ctx);
    const runs = [];
    for (const status of [400, 401, 500]) {
      for (const [label, type, body] of BODIES) {
        runs.push((async () => {
          const { instance } = await setup(ctx, { token: () => ({ status, body, headers: type ? { "content-type": type } : {} }) });
          const got = await ctx.attempt(() => instance.getToken());
          if (got.ok) return ctx.check(false, `${status} ${label}: a token was returned`);
          const text = `${String(got.error)} ${got.info.message}`;
          ctx.check(got.info.status === status, `${status} ${label}: error status ${got.info.status ?? "missing"}`);
          ctx.check(got.info.message.length <= 1024, `${status} ${label}: message ${got.info.message.length} chars`);
          // deno-lint-ignore no-control-regex
          ctx.check(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text), `${status} ${label}: no control characters in the error`);
          return true;
        })());
      }
    }
    await Promise.all(runs);
    ctx.evidence("12 status/body combinations: status kept, message bounded, no control characters");
  },
} satisfies Scenario;
