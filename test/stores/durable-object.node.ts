// workerd entry for the Durable Object store tests (run on Node with tsx): runs
// test/stores/durable-object.suite.ts in workerd through miniflare, in a worker that exports
// TokenStoreObject and binds it as TOKEN_STORE (and a subclass that shows its storage as
// INSPECTED_STORE); prints what uvu printed, and exits non-zero itself.
//   tsx test/stores/durable-object.node.ts
import { runUvuEntry } from "../runtimes/workerd.ts";

const source = JSON.stringify(new URL("../../src/stores/durable-object.ts", import.meta.url).pathname);

// INSPECTED_STORE is the same object with one more route, GET /entries: everything in its storage,
// and its alarm, so the suite can see what the object keeps.
await runUvuEntry(
  "test/stores/durable-object.suite.ts",
  { durableObjects: { TOKEN_STORE: { className: "TokenStoreObject" }, INSPECTED_STORE: { className: "InspectedTokenStoreObject" } } },
  `export { TokenStoreObject } from ${source};
  import { TokenStoreObject as Base } from ${source};
  export class InspectedTokenStoreObject extends Base {
    constructor(state, env) {
      super(state, env);
      this.storage = state.storage;
    }
    async fetch(request) {
      if (request.method !== "GET") return super.fetch(request);
      return Response.json({ entries: Object.fromEntries(await this.storage.list()), alarm: await this.storage.getAlarm() });
    }
  }`,
);
