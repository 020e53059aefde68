import type { Scenario } from "../scenario.ts";
import type { AuthConfig } from "../types.ts";
import type { ClientRegistration } from "../fake/server.ts";
import { RFC9110_REDIRECT, robust } from "./_basis.ts";
import { control, jwtClient } from "./_helpers.ts";

const SECRET = "7Fjfp0ZBr1KtDRbnfVdmIw";
const EVIL = "https://evil.test";

// The token endpoint answers 307 and 308 to another origin. A client that follows such a redirect
// replays the method and the body (RFC 9110 §15.4.8, §15.4.9): a form-posted client_secret or a
// client assertion then goes to whoever the Location names. Node's fetch drops Authorization
// across origins but re-POSTs the body; so do several OAuth libraries. Not following token
// endpoint redirects at all is the safe answer.
export default {
  id: "SEC-09",
  title: "A 307/308 from the token endpoint to another origin never carries the client's credential there",
  severity: "ROBUST",
  severityLabel: "SHOULD/ROBUST",
  source: "RFC 9110 §15.4; RFC 6749 §2.3.1, §10.3; RFC 9700 §4.12",
  basis: [
    RFC9110_REDIRECT,
    robust(
      "RFC 6749 §2.3.1; RFC 9110 §15.4.8",
      "no RFC sentence forbids a client to re-send a form-posted client_secret or a client assertion when it follows a 307/308 (HTTP replays the body by design; RFC 9700 §4.12 puts the 307 rule on the authorization server). Sending the credential to an origin that is not the authorization server hands it to that origin: the most damaging leak a client-credentials client can make",
    ),
  ],
  async run(ctx) {
    const runs: { name: string; auth: AuthConfig; client: ClientRegistration; discovery?: boolean }[] = [];
    if (ctx.has("client_secret_post")) runs.push({ name: "client_secret_post", auth: { method: "client_secret_post", clientSecret: SECRET }, client: { id: "s6BhdRkqt3", secret: SECRET, methods: ["client_secret_post"] } });
    if (ctx.has("client_secret_basic")) runs.push({ name: "client_secret_basic", auth: { method: "client_secret_basic", clientSecret: SECRET }, client: { id: "s6BhdRkqt3", secret: SECRET, methods: ["client_secret_basic"] } });
    if (ctx.has("client_secret_jwt")) runs.push({ name: "client_secret_jwt", auth: { method: "client_secret_jwt", clientSecret: SECRET }, client: { id: "s6BhdRkqt3", secret: SECRET, methods: ["client_secret_jwt"] } });
    if (ctx.has("private_key_jwt") && ctx.has("discovery")) {
      const j = await jwtClient(ctx);
      runs.push({ name: "private_key_jwt", auth: j.auth, client: j.client, discovery: true });
    }
    if (!runs[0]) return void ctx.check(false, "the subject declares no client authentication method");
    await control(ctx, { auth: runs[0].auth }, { script: { client: runs[0].client }, ...(runs[0].discovery ? { discovery: true } : {}) });
    const out: string[] = [];
    const basicTo: string[] = [];
    const bodyTo: string[] = [];
    for (const run of runs) {
      for (const status of [307, 308]) {
        const server = ctx.server({
          client: run.client,
          token: () => ({ status, headers: { location: `${EVIL}/token` }, body: "" }),
          origins: { [EVIL]: (_r, s) => ({ json: { access_token: s.issue().value, token_type: "Bearer", expires_in: 3600 } }) },
        });
        const env = ctx.env(server, { auth: run.auth, ...(run.discovery ? { issuer: server.issuer } : {}) });
        if (run.discovery) delete env.tokenEndpoint;
        const got = await ctx.attempt(async () => (await ctx.create(env)).getToken());
        const evil = server.requests.filter((r) => r.origin === EVIL);
        const basic = evil.filter((r) => /^basic /i.test(r.header("authorization") ?? ""));
        const body = evil.filter((r) => r.form.get("client_secret") !== undefined || r.text.includes(SECRET) || r.form.get("client_assertion") !== undefined);
        const label = `${run.name} ${status}`;
        if (basic.length) basicTo.push(label);
        if (body.length) bodyTo.push(`${label} (${run.name === "private_key_jwt" || run.name === "client_secret_jwt" ? "assertion" : "secret"})`);
        out.push(`${label}: ${evil.length ? (basic.length || body.length ? "followed WITH the credential" : "followed without it") : "not followed"}${got.ok ? " (token taken from the other origin)" : ""}`);
      }
    }
    // One check per tier, naming every set-up that leaked: the matrix shows the first failed check.
    ctx.check(basicTo.length === 0, `${EVIL} got the Basic credential: ${basicTo.join(", ") || "never"}`, "SHOULD");
    ctx.check(bodyTo.length === 0, `${EVIL} got the client's credential in the re-sent body: ${bodyTo.join(", ") || "never"}; ${out.join("; ")}`, "ROBUST");
    ctx.evidence(out.join("; "));
  },
} satisfies Scenario;
