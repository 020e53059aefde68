import type { Scenario } from "../scenario.ts";
import { RFC6749_AUTHENTICATE, robust } from "./_basis.ts";
import { control } from "./_helpers.ts";

// Who breaks RFC 6749 §4.4.2 when a client-credentials request goes out without a secret? The
// MUST binds the client, the application. RFC 6749 §2.3.1 defines the empty secret
// (client-secret = *VSCHAR includes it) and lets such a client leave client_secret out, so a
// request with client_id and an empty or absent secret, or Basic with an empty password, is a
// client_secret_post or client_secret_basic authentication on the wire, whatever the library
// was told. A library that does what the application chose (oauth4webapi's and openid-client's
// explicit None(), Authlib's "none", an optional secret left out, Go's empty ClientSecret) sends a
// request the RFC defines as authenticated: refusing that configuration is what a token manager
// owes its users (ROBUST), not an RFC requirement on the library. The RFC MUST failure is a token
// request that names no client at all (no Authorization, client_id or client_assertion): no
// method of RFC 6749 §2.3 or RFC 7521 can account for it.
export default {
  id: "AUTH-09",
  title: "Client credentials without client authentication: a request names its client; a token manager refuses the configuration",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §4.4.2, §2.3.1",
  basis: [
    RFC6749_AUTHENTICATE,
    robust(
      "RFC 6749 §2.3.1, Appendix A.2",
      'client_id with an empty or absent secret is how RFC 6749 §2.3.1 lets a client whose secret is the empty string authenticate ("The client MAY omit the parameter if the client secret is an empty string."; client-secret = *VSCHAR), so such a request is authenticated on the wire; the MUST binds the application that chose no secret, and a library that accepts the choice breaks no RFC sentence. Refusing the configuration, before any request, is a token manager\'s duty to its users',
    ),
  ],
  async run(ctx) {
    await control(ctx);
    const server = ctx.server({ client: { id: "s6BhdRkqt3", methods: ["none"] } });
    const created = await ctx.attempt(() => ctx.create(ctx.env(server, { auth: { method: "none" } })));
    if (created.ok) {
      await ctx.attempt(() => created.value.getToken());
      const sent = server.tokenRequests();
      const anonymous = sent.filter((r) => r.header("authorization") === null && r.form.get("client_id") === undefined && r.form.get("client_assertion") === undefined);
      ctx.check(anonymous.length === 0, `${anonymous.length} token request(s) named no client at all (no Authorization, client_id or client_assertion)`);
      ctx.check(sent.length === 0, `auth 'none' accepted: ${sent.length} token request(s) sent with an empty or no secret`, "ROBUST");
      ctx.check(false, "auth 'none' accepted at construction", "ROBUST");
      ctx.evidence(`accepted at construction; ${sent.length} token requests, ${anonymous.length} naming no client`);
    } else {
      ctx.check(true, "refused at construction", "ROBUST");
      ctx.evidence(`refused at construction (${created.info.code ?? created.info.kind}: ${created.info.message.split("\n")[0]})`);
    }
  },
} satisfies Scenario;
