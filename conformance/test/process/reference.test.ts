// The protocol changes no grade: tokenkeeper in its own process, driven over JSON lines through
// the proxy, grades like tokenkeeper in-process on every scenario; and process mutants (a secret
// on stderr, a token sent to any origin) are caught by the scenarios that target them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runSuite } from "../../harness.ts";
import { nodeHost } from "../../node/host.ts";
import { scenarios } from "../../scenarios/index.ts";
import { tokenkeeper } from "../../subjects/tokenkeeper.ts";
import type { ScenarioResult, Subject } from "../../types.ts";
import { referenceSubject } from "./reference.ts";

const host = nodeHost();
// Each instance is a process, and the machine may be busy: a generous deadline per scenario keeps
// the comparison about behaviour, not about how fast processes start.
const options = { concurrency: 4, timeoutMs: 90_000 };
const remote = await referenceSubject(undefined, { answerTimeoutMs: 60_000 });
// The same capabilities in-process: all of them, keys included (private_key_jwt, DPoP and
// client_secret_jwt reach the program as JWKs and a secret).
const inProcess: Subject = { ...tokenkeeper, capabilities: remote.capabilities };

const SHORT_DEADLINES: ReadonlySet<string> = new Set(["FAULT-02", "FAULT-03", "ERR-07"]);
const show = (r: ScenarioResult | undefined) => (r ? `${r.id}=${r.status} (${r.evidence.slice(0, 120)})` : "missing");
const test = suite("process subjects: the reference program");

let baseline: Map<string, ScenarioResult>;

test("the reference program drives everything the in-process reference does, keys included", () => {
  assert.equal([...remote.capabilities].sort(), [...tokenkeeper.capabilities].sort());
});

test("tokenkeeper in its own process grades like tokenkeeper in-process, scenario by scenario", async () => {
  // One after the other: the comparison should not compete with itself for the machine. The
  // scenarios with deadlines of a few hundred ms (FAULT-02/03: 100 ms, ERR-07: 300 ms) also time
  // the transport: a new tunnel and TLS handshake through the proxy must fit in them. They run
  // last, one at a time, away from the program starts the other scenarios cause.
  const grade = async (subject: Subject) => [
    ...(await runSuite(subject, scenarios.filter((s) => !SHORT_DEADLINES.has(s.id)), host, options)),
    ...(await runSuite(subject, scenarios.filter((s) => SHORT_DEADLINES.has(s.id)), host, { ...options, concurrency: 1 })),
  ];
  const here = await grade(inProcess);
  const there = await grade(remote);
  baseline = new Map(there.map((r) => [r.id, r]));
  const differ = here.filter((r) => baseline.get(r.id)?.status !== r.status).map((r) => `in-process ${show(r)} / process ${show(baseline.get(r.id))}`);
  assert.equal(differ, [], differ.join("\n"));
  assert.ok(there.filter((r) => r.status === "pass").length > 50, "most scenarios ran and passed");
});

const mutants = [
  { name: "leak-stderr", targets: ["SEC-05"] },
  { name: "any-origin", targets: ["SEC-08"] },
];

for (const m of mutants) {
  test(`the process mutant '${m.name}' is caught by ${m.targets.join(", ")}`, async () => {
    const subject = await referenceSubject(m.name, { answerTimeoutMs: 60_000 });
    const results = await runSuite(subject, scenarios.filter((s) => m.targets.includes(s.id)), host, options);
    for (const r of results) {
      assert.is(baseline.get(r.id)?.status, "pass", `the reference passes ${r.id}`);
      assert.ok(r.status === "fail" || r.status === "warn", `${m.name} caught by ${show(r)}`);
    }
  });
}

test.run();
