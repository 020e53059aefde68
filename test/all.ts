// Every runtime-neutral unit test, imported statically so each runtime's entry (Node, Deno, Bun,
// workerd) runs the same list; workerd's bundle needs static imports. Files follow public modules
// and behaviour, not internal file names. test/node/test-files.test.ts fails when a test file is
// missing here.
import "./certificate.test.ts";
import "./client-assertion.test.ts";
import "./client-auth.test.ts";
import "./discover.test.ts";
import "./dpop.test.ts";
import "./errors.test.ts";
import "./google-service-account.test.ts";
import "./jwt-bearer.test.ts";
import "./keeper-fetch.test.ts";
import "./keeper.test.ts";
import "./options.test.ts";
import "./presets/cardlytics.test.ts";
import "./providers/auth0.test.ts";
import "./providers/cognito.test.ts";
import "./providers/keycloak.test.ts";
import "./providers/okta.test.ts";
import "./redaction.test.ts";
import "./refresh.test.ts";
import "./retry.test.ts";
import "./shared-store-encryption.test.ts";
import "./shared-store.test.ts";
import "./stores/memory.test.ts";
import "./token-endpoint.test.ts";
import "./workers-waiting.test.ts";
