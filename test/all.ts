// Every runtime-neutral unit test, imported statically so each runtime's entry (Node, Deno, Bun,
// workerd) runs the same list.
import "./options.test.ts";
import "./request-encoding.test.ts";
import "./cache.test.ts";
import "./flight.test.ts";
import "./errors.test.ts";
import "./fetch.test.ts";
import "./discovery.test.ts";
import "./www-authenticate.test.ts";
import "./redact.test.ts";
import "./dpop.test.ts";
import "./stores/memory.test.ts";
import "./stores/store-crypto.test.ts";
import "./stores/shared-store.test.ts";
import "./stores/keeper-store.test.ts";
