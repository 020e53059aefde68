// tokenkeeper against oidc-provider (panva), over TLS with a test CA, discovered from its issuer.
import { suite } from "uvu";
import { registerCases } from "./cases.ts";
import { createFixture } from "./fixture.ts";
import { lazyServer } from "./server.ts";
import { startOidcProvider } from "./servers/oidc-provider.ts";

const fixture = await createFixture();
const server = lazyServer(() => startOidcProvider(fixture));
const test = suite("oidc-provider");
test.after(() => server.stop());

registerCases(test, server, fixture);

test.run();
