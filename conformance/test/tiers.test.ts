import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runSuite, scenarios, type Severity, type Subject } from "@tokenkeeper/conformance";
import { tokenkeeper } from "../subjects/tokenkeeper.ts";
import { CONTROLLED } from "../mutants/index.ts";
import { nodeHost } from "../node/host.ts";

const test = suite("tiers and positive controls");
const host = nodeHost();

test("every scenario grounds each tier it grades in a basis: a quoted sentence for MUST and SHOULD, a reason for ROBUST", () => {
  for (const s of scenarios) {
    const tiers = (s.severityLabel ?? s.severity).split("/") as Severity[];
    assert.ok(tiers.includes(s.severity), `${s.id}: its severity is one of its label's tiers`);
    for (const tier of tiers) assert.ok(s.basis.some((b) => b.tier === tier), `${s.id}: a ${tier} basis`);
    for (const b of s.basis) assert.ok(b.source.length > 0 && b.text.length > 20, `${s.id}: ${b.tier} basis has a source and its text`);
    // Besides MUST/REQUIRED/SHALL sentences, the RFC's own definition of what the client sends
    // (the Basic credential's encoding, the ABNF of a secret or a scope) is graded MUST, as the
    // audit kept AUTH-02/04.
    for (const b of s.basis.filter((b) => b.tier === "MUST")) assert.match(b.text, /\b(MUST|REQUIRED|SHALL)\b|= \*VSCHAR|scope-token|is encoded using|space-delimited/, `${s.id}: an RFC MUST quotes a MUST, REQUIRED or SHALL sentence or the RFC's definition of the request`);
    for (const b of s.basis.filter((b) => b.tier === "SHOULD")) assert.match(b.text, /\bSHOULD\b|^paraphrased, no RFC text yet/, `${s.id}: a SHOULD quotes a SHOULD sentence, or says it is a draft's paraphrase`);
  }
});

test("a library that never gets a token is unusable in every failure-case scenario, never passing one", async () => {
  const never: Subject = {
    ...tokenkeeper,
    name: "never-a-token",
    create: async (env) => ({ ...(await tokenkeeper.create(env)), getToken: () => Promise.reject(new TypeError("no token, ever")) }),
  };
  const picked = scenarios.filter((s) => ["AUTH-06", "ERR-05", "SEC-01", "SEC-04", "SEC-05"].includes(s.id));
  const results = await runSuite(never, picked, host);
  for (const r of results) assert.is(r.status, "unusable", `${r.id}: ${r.evidence}`);
  assert.ok(["AUTH-06", "ERR-05", "SEC-01", "SEC-04", "SEC-05"].every((id) => (CONTROLLED as readonly string[]).includes(id)));
});

test("the reference passes every RFC MUST and SHOULD check of the new scenarios", async () => {
  const fresh = scenarios.filter((s) => ["SEC-09", "ERR-09", "ERR-10", "EXP-09", "AUTH-11", "RESP-12", "GRANT-07"].includes(s.id));
  assert.is(fresh.length, 7);
  for (const r of await runSuite(tokenkeeper, fresh, host)) assert.is(r.status, "pass", `${r.id}: ${r.evidence}`);
});

test.run();
