// workerd entry for the Workers KV store tests (run on Node with tsx): runs
// test/stores/workers-kv.suite.ts in workerd through miniflare with a real KV namespace binding,
// TOKENS, prints what uvu printed, and exits non-zero itself.
//   tsx test/stores/workers-kv.node.ts
import { runUvuEntry } from "../runtimes/workerd.ts";

await runUvuEntry("test/stores/workers-kv.suite.ts", { kvNamespaces: ["TOKENS"] });
