import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "GRANT-06",
  title: "The granted scope is reported: as returned, or as requested when omitted",
  severity: "ROBUST",
  source: "RFC 6749 §3.3, §5.1; OIDF no-scope-in-token-endpoint-response",
  basis: [robust("RFC 6749 §3.3, §5.1", "the server MUST include scope when it differs from the request; no sentence makes the client report it. A caller that checks what it was granted needs the library to tell it (the adapter reports only what the library reports)")],
  requires: { subject: ["scope"] },
  async run(ctx) {
    const a = await setup(ctx, { token: (_r, s) => tokenReply(s, { scope: "read" }) }, { scope: ["read", "write"] });
    const ta = await ctx.attempt(() => a.instance.getToken());
    ctx.check(ta.ok && ta.value.scope === "read", `(a) granted 'read' of 'read write': reported ${ta.ok ? JSON.stringify(ta.value.scope) : ta.info.kind}`);
    const b = await setup(ctx, { token: (_r, s) => tokenReply(s) }, { scope: ["read", "write"] });
    const tb = await ctx.attempt(() => b.instance.getToken());
    const reported = tb.ok ? (tb.value.scope ?? "").split(" ").sort().join(" ") : undefined;
    ctx.check(reported === "read write", `(b) scope omitted: reported ${tb.ok ? JSON.stringify(tb.value.scope) : tb.info.kind}`);
    ctx.evidence(`(a) reported '${ta.ok ? ta.value.scope : "-"}'; (b) reported '${tb.ok ? tb.value.scope : "-"}'`);
  },
} satisfies Scenario;
