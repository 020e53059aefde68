import type { Scenario } from "../scenario.ts";
import type { Handler, Script } from "../fake/server.ts";
import { NO_STORE } from "../fake/reply.ts";
import { robust } from "./_basis.ts";
import { control, drain, jwtClient } from "./_helpers.ts";

/** Every string view of an error: message, String(), JSON, inspection, the cause chain. */
function views(err: unknown, inspect: ((v: unknown) => string) | undefined): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    out.push(String((e as Error).message ?? ""), String(e));
    try {
      out.push(JSON.stringify(e) ?? "");
    } catch { /* cyclic: not a leak */ }
    try {
      out.push(JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(e).map((k) => [k, (e as Record<string, unknown>)[k]]))) ?? "");
    } catch { /* ignore */ }
    e = (e as { cause?: unknown }).cause;
  }
  if (inspect) out.push(inspect(err));
  return out;
}

export default {
  id: "SEC-05",
  title: "No secret, assertion or token in errors, their causes, inspection or logs",
  severity: "ROBUST",
  source: "RFC 6749 §10.1, §10.3; RFC 6750 §5.3",
  basis: [robust("RFC 6749 §10.3; RFC 6750 §5.3", "the RFCs ask that tokens and credentials be kept confidential but say nothing of a library's errors, causes or logs; a leak there is the most common way they escape")],
  async run(ctx) {
    const secret = `SENTINEL_SECRET_${crypto.randomUUID()}`;
    const client = { id: "s6BhdRkqt3", secret, methods: ["client_secret_post", "client_secret_basic"] as const };
    await control(ctx, { auth: { method: "client_secret_post", clientSecret: secret } }, { script: { client } });
    const token = (extra: Record<string, unknown>, status = 200): Handler => (_r, s) => ({
      status,
      json: { access_token: s.issue().value, token_type: "Bearer", expires_in: 300, ...extra },
      headers: { ...NO_STORE },
    });
    const paths: [string, Script, "token" | "fetch"][] = [
      ["no token_type", { token: token({ token_type: undefined }) }, "token"],
      ["token_type mac", { token: token({ token_type: "mac" }) }, "token"],
      ["expires_in abc", { token: token({ expires_in: "abc" }) }, "token"],
      ["201 with token", { token: token({}, 201) }, "token"],
      ["id_token present", { token: token({ id_token: "SENTINEL_IDT_x.y.z" }) }, "token"],
      ["invalid_client", { token: () => ({ status: 401, json: { error: "invalid_client" }, headers: { "www-authenticate": 'Basic realm="as"' } }) }, "token"],
      ["invalid_scope", { token: () => ({ status: 400, json: { error: "invalid_scope", error_description: "scope x" } }) }, "token"],
      ["500 html", { token: () => ({ status: 500, body: "<html>oops</html>", headers: { "content-type": "text/html" } }) }, "token"],
      ["RS 401", { resource: () => ({ status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' }, body: "" }) }, "fetch"],
      ["RS 403", { resource: () => ({ status: 403, headers: { "www-authenticate": 'Bearer error="insufficient_scope"' }, body: "" }) }, "fetch"],
    ];
    const leaks: string[] = [];
    const sentinels = (extra: string[]) => [secret, ...extra];
    const scan = (label: string, texts: string[], values: string[]) => {
      const hit = values.filter((v) => v.length > 0 && texts.some((t) => t.includes(v)));
      if (hit.length) leaks.push(label);
      ctx.check(hit.length === 0, `${label}: ${hit.length ? "LEAKS a sentinel" : "clean"}`);
    };
    const tried: string[] = [];
    const allTokens: string[] = [];
    for (const [label, script, via] of paths) {
      if (via === "fetch" && !ctx.has("fetch")) continue;
      const server = ctx.server({ client, ...script });
      const instance = await ctx.create(ctx.env(server, { auth: { method: "client_secret_post", clientSecret: secret } }));
      const got = await ctx.attempt(async () => {
        if (via === "token") return instance.getToken();
        const res = await instance.fetch("/data");
        await drain(res);
        if (res.status >= 400) throw Object.assign(new Error(`status ${res.status}`), { response: res });
        return res;
      });
      tried.push(label);
      const tokens = server.issued.map((t) => t.value);
      allTokens.push(...tokens);
      const texts = got.ok ? [] : views(got.error, ctx.host.inspect);
      scan(`${label} error`, texts, sentinels([...tokens, "SENTINEL_IDT_x.y.z"]));
    }
    // A server that echoes the secret in its error description (the client could redact it).
    const echo = ctx.server({ client, token: () => ({ status: 400, json: { error: "invalid_request", error_description: `bad secret ${secret}` } }) });
    const e = await ctx.attempt(async () => (await ctx.create(ctx.env(echo, { auth: { method: "client_secret_post", clientSecret: secret } }))).getToken());
    scan("server echoes the secret", e.ok ? [] : views(e.error, ctx.host.inspect), [secret]);
    // A server that quotes the request body back: the secret arrives form-encoded.
    const spelled = `${secret}+é/&=%`;
    const quoting = ctx.server({ client: { ...client, secret: spelled }, token: (r) => ({ status: 400, json: { error: "invalid_request", error_description: `could not parse ${r.text}` } }) });
    const q = await ctx.attempt(async () => (await ctx.create(ctx.env(quoting, { auth: { method: "client_secret_post", clientSecret: spelled } }))).getToken());
    const formSpelled = new URLSearchParams([["", spelled]]).toString().slice(1);
    scan("server quotes the form-encoded request", q.ok ? [] : views(q.error, ctx.host.inspect), [spelled, formSpelled, secret]);
    // private_key_jwt: the assertion must not leak either.
    if (ctx.has("private_key_jwt") && ctx.has("discovery")) {
      const { auth, client: registration } = await jwtClient(ctx);
      const pk = ctx.server({ client: registration, token: () => ({ status: 400, json: { error: "invalid_grant" } }) });
      const env = ctx.env(pk, { issuer: pk.issuer, auth });
      delete env.tokenEndpoint;
      const r = await ctx.attempt(async () => (await ctx.create(env)).getToken());
      const assertions = pk.tokenRequests().map((q) => q.form.get("client_assertion") ?? "");
      scan("private_key_jwt error", r.ok ? [] : views(r.error, ctx.host.inspect), assertions);
    }
    scan("logs and events", ctx.logs, [secret, ...allTokens]);
    ctx.note(`inspection ${ctx.host.inspect ? "included" : "not available on this host"}`);
    ctx.evidence(`${tried.length + 3} error paths and ${ctx.logs.length} log lines: no sentinel`);
  },
} satisfies Scenario;
