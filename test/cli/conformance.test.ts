// `tokenkeeper conformance`, from projects made with the packed tarballs: without the separate
// @tokenkeeper/conformance package it says how to install it; with it, `npx tokenkeeper
// conformance` grades an adapter found from the folder the command runs in.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freshProject, packed, spawnCollect } from "../package/pack.ts";
import { installedProject } from "./installed.ts";

const test = suite("tokenkeeper conformance");

/** A small adapter, in plain JavaScript, that drives tokenkeeper through its public API. */
const ADAPTER = `import { clientSecretBasic, createTokenKeeper, isTokenKeeperError, TokenEndpointError } from "tokenkeeper";

export default {
  name: "my-adapter",
  capabilities: ["client_secret_post", "client_secret_basic", "scope"],
  create(env) {
    const secret = env.auth.clientSecret;
    const keeper = createTokenKeeper({
      tokenEndpoint: env.tokenEndpoint,
      clientId: env.clientId,
      fetch: env.fetch,
      ...(env.auth.method === "client_secret_basic" ? { clientAuth: clientSecretBasic(secret) } : { clientSecret: secret }),
      ...(env.scope ? { scope: env.scope } : {}),
    });
    return {
      async getToken(call = {}) {
        const t = await keeper.getToken(call.scope ? { scope: call.scope } : {});
        return { accessToken: t.accessToken, tokenType: t.tokenType, expiresAt: t.expiresAt, scope: t.scope };
      },
      fetch: () => { throw new Error("no fetch capability"); },
      invalidate: () => keeper.invalidate(),
      close: () => keeper.close(),
    };
  },
  classify(error) {
    if (error instanceof TokenEndpointError) return { kind: "oauth", error: error.error, status: error.status, message: error.message };
    if (isTokenKeeperError(error)) return { kind: "other", message: error.message, code: error.code };
    return { kind: error instanceof TypeError ? "config" : "other", message: String(error) };
  },
};
`;

test("without @tokenkeeper/conformance: says how to install it and exits 20; --help still works", async () => {
  const project = await installedProject();
  project.write("my-adapter.js", ADAPTER);
  const ran = await project.npx(["conformance", "--subject", "./my-adapter.js"]);
  assert.is(ran.code, 20, ran.stderr);
  assert.match(ran.stderr, "npm install -D @tokenkeeper/conformance");
  assert.is(ran.stdout, "");
  const help = await project.npx(["conformance", "--help"]);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, "--subject <name|path>");
});

test("with it installed: npx tokenkeeper conformance --subject ./my-adapter.js grades the adapter found from the working folder", async () => {
  const project = await freshProject({ conformance: true });
  try {
    const work = join(project.dir, "work");
    mkdirSync(work);
    writeFileSync(join(work, "my-adapter.js"), ADAPTER);
    const ran = await project.npx(["conformance", "--subject", "./my-adapter.js", "--only", "RESP-01,REQ-01,REQ-03"], { cwd: work });
    assert.is(ran.code, 0, (ran.stdout + ran.stderr).replace(/^/gm, "> "));
    assert.match(ran.stdout, "conformance: subject my-adapter");
    assert.match(ran.stdout, /^my-adapter: conformant/m);
    assert.match(ran.stdout, /^3 passed, 0 failed$/m);
    assert.ok(existsSync(join(work, "reports", "conformance-my-adapter.json")), "the report is written in the working folder");
    const missing = await project.npx(["conformance", "--subject", "./not-there.js"], { cwd: work });
    assert.is(missing.code, 2);
  } finally {
    project.remove();
  }
});

test("tokenkeeper never depends on the conformance package", async () => {
  const { tokenkeeper } = await packed();
  const listing = await spawnCollect("tar", ["-xzOf", tokenkeeper, "package/package.json"], { cwd: process.cwd() });
  const manifest = JSON.parse(listing.stdout) as Record<string, Record<string, string> | undefined>;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) assert.not.ok(manifest[field]?.["@tokenkeeper/conformance"], field);
  assert.equal(Object.keys(manifest["dependencies"] ?? {}), ["oauth4webapi"]);
});

test.run();
