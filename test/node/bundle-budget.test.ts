// Size budget: a minimal entry that gets one token (bench/bundle/tokenkeeper.ts), bundled and
// minified by esbuild for the browser and neutral platforms, gzipped at level 9, oauth4webapi
// included. Bytes only: this test never times anything. `npm run bench` reports the same numbers
// beside the peers'.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bundleSize } from "../../bench/measure/bundle.ts";

/**
 * 19 KB while the hardening round (one redaction module, 18,900 bytes) lands ahead of the core
 * redesign that moves optional features out of the quick start. Growth fails
 * the build. The 7.5 KB target is missed, and BENCHMARKS.md says why: oauth4webapi's
 * client-credentials request and response processing alone is 4.9 KB, and every optional feature
 * (discovery, DPoP, stores, the fetch wrapper) is reachable from createTokenKeeper.
 */
const budgetBytes = 19_456;
const budget = suite("bundle size budget");

for (const platform of ["browser", "neutral"] as const) {
  budget(`a minimal keeper bundled for ${platform} fits in ${budgetBytes} bytes gzipped, oauth4webapi included`, async () => {
    const { code, gzipped, na } = await bundleSize("tokenkeeper.ts", platform);
    assert.is(na, undefined, `${platform} bundle failed: ${na}`);
    // The bundle must hold the real thing, not an entry tree-shaken to nothing.
    assert.ok(code!.includes("client_credentials"), "the bundle sends a client_credentials grant");
    assert.ok(
      gzipped! <= budgetBytes,
      `${platform} bundle is ${gzipped} bytes gzipped, ${gzipped! - budgetBytes} over the ${budgetBytes}-byte budget`,
    );
  });
}

budget.run();
