import type { Scenario } from "../scenario.ts";
import { RFC6749_TLS_CERT, RFC6750_TLS_CHAIN } from "./_basis.ts";

export default {
  id: "SEC-02",
  title: "TLS certificates are verified (self-signed, expired, wrong host refused)",
  severity: "MUST",
  source: "RFC 6749 §10.9; RFC 6750 §5.3",
  basis: [RFC6749_TLS_CERT, RFC6750_TLS_CHAIN],
  requires: { host: ["tls"] },
  async run(ctx) {
    const server = ctx.server();
    // Real HTTPS listeners in front of the fake AS: requests are re-addressed to https://as.test.
    const tls = await ctx.host.tls!.serve(async (request) => {
      const u = new URL(request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
      return server.app.fetch(new Request(`https://as.test${u.pathname}${u.search}`, { method: request.method, headers: request.headers, body }));
    });
    try {
      // Positive control first: with the suite's CA trusted, the subject gets a token over real TLS.
      await ctx.control("a trusted certificate", async () => (await ctx.create(ctx.env(server, { tokenEndpoint: `${tls.urls.trusted}/token`, fetch: tls.trustingFetch }))).getToken());
      const out: string[] = [];
      for (const kind of ["selfSigned", "expired", "wrongHost"] as const) {
        const before = server.tokenRequests().length;
        const instance = await ctx.create(ctx.env(server, { tokenEndpoint: `${tls.urls[kind]}/token`, fetch: globalThis.fetch.bind(globalThis) }));
        const got = await ctx.attempt(() => instance.getToken());
        const reached = server.tokenRequests().length - before;
        ctx.check(!got.ok && reached === 0, `${kind}: ${got.ok ? "token obtained" : got.info.kind}; ${reached} request(s) reached the server`);
        out.push(`${kind}→${got.ok ? "ACCEPTED" : got.info.kind}`);
      }
      ctx.evidence(`trusted CA → token; ${out.join(", ")}`);
    } finally {
      await tls.close();
    }
  },
} satisfies Scenario;
