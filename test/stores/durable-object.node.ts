// workerd entry for the Durable Object store tests (run on Node with tsx): runs
// test/stores/durable-object.suite.ts in workerd through miniflare, in a worker that exports
// TokenStoreObject and binds it as TOKEN_STORE; prints what uvu printed, and exits non-zero itself.
//   tsx test/stores/durable-object.node.ts
import { runUvuEntry } from "../runtimes/workerd.ts";

await runUvuEntry(
  "test/stores/durable-object.suite.ts",
  { durableObjects: { TOKEN_STORE: { className: "TokenStoreObject" } } },
  `export { TokenStoreObject } from ${JSON.stringify(new URL("../../src/stores/durable-object.ts", import.meta.url).pathname)};`,
);
