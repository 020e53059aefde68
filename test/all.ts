// Every runtime-neutral unit test, imported statically so each runtime's entry (Node, Deno, Bun,
// workerd) runs the same list; workerd's bundle needs static imports. One file per src/ module,
// same path. test/node/test-files.test.ts fails when a test file is missing here.
import "./authorized-fetch.test.ts";
import "./bounded-body.test.ts";
import "./cache-entry.test.ts";
import "./client-auth.test.ts";
import "./custom-client-auth.test.ts";
import "./discovery.test.ts";
import "./dpop.test.ts";
import "./errors.test.ts";
import "./flight.test.ts";
import "./keeper.test.ts";
import "./lifetime.test.ts";
import "./options.test.ts";
import "./presets/cardlytics.test.ts";
import "./redact.test.ts";
import "./retry.test.ts";
import "./shared-store.test.ts";
import "./store-crypto.test.ts";
import "./stores/memory.test.ts";
import "./token-cache.test.ts";
import "./token-error.test.ts";
import "./token-request.test.ts";
import "./token.test.ts";
import "./www-authenticate.test.ts";
