// tokenkeeper against Authlib (Python, Flask), over http on loopback.
import { suite } from "uvu";
import { registerCases } from "./cases.ts";
import { createFixture } from "./fixture.ts";
import { lazyServer } from "./server.ts";
import { startAuthlib } from "./servers/authlib.ts";

const fixture = await createFixture();
const server = lazyServer(() => startAuthlib(fixture));
const test = suite("Authlib");
test.after(() => server.stop());

registerCases(test, server, fixture);

test.run();
