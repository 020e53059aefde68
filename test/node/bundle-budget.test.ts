// Size budget: the quick start (bench/bundle/tokenkeeper.ts) and the quick start with each optional
// feature (bench/bundle/features/), bundled and minified by esbuild for the browser and neutral
// platforms, gzipped at level 9, oauth4webapi included: the same configuration `npm run bench`
// reports beside the peers'. Bytes only: this test never times anything.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bundleSize, featureEntries } from "../../bench/measure/bundle.ts";

/**
 * Each budget is the size measured after the bundle-diet branch (allowInsecureRequests gone, the
 * token endpoint's errors mapped once, discovery's cache in discover(), TOKENKEEPER_DEBUG added),
 * plus about 1.5 %, rounded up to 64 bytes, so that growth fails the build. The goals of issue 21
 * (14 KB for the quick start, 12 KB for a token only) are not met: the quick start measures
 * 16,892 bytes and a token only 14,733; BENCHMARKS.md says what fills the bytes.
 */
const budgets: Record<string, number> = {
  "quick start": 17_152,
  "a token only (createTokenProvider)": 14_976,
  "+ shared store (protocol, AES-GCM)": 20_224,
  "+ Redis store adapter": 20_352,
  "+ DPoP": 19_136,
  "+ discovery": 18_048,
  "+ private_key_jwt": 18_432,
  "+ private_key_jwt with a certificate": 20_544,
  "+ federated client assertion (file)": 18_176,
  "+ JWT bearer grant": 18_752,
  "+ Google service account": 19_520,
  "preset (cardlytics)": 17_216,
};
/** A string only each feature's code holds: present in the feature's bundle, absent from the quick start. */
const markers: Record<string, string> = {
  "+ shared store (protocol, AES-GCM)": "AES-GCM",
  "+ Redis store adapter": "redis.call",
  "+ DPoP": "dpop+jwt",
  "+ discovery": "oauth-authorization-server",
  "+ private_key_jwt": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  "+ private_key_jwt with a certificate": "certificateKey",
  "+ federated client assertion (file)": "clientAssertion()'s function",
  "+ JWT bearer grant": "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "+ Google service account": "oauth2.googleapis.com",
  "preset (cardlytics)": "api.cardlytics.com",
};

const budget = suite("bundle size budget");

budget("every feature bundle has a budget, and every budget a bundle", () => {
  assert.equal(Object.keys(budgets).sort(), Object.keys(featureEntries).sort());
});

for (const [feature, file] of Object.entries(featureEntries)) {
  for (const platform of ["browser", "neutral"] as const) {
    budget(`${feature} bundled for ${platform} fits in ${budgets[feature]} bytes gzipped`, async () => {
      const { code, gzipped, na } = await bundleSize(file, platform);
      assert.is(na, undefined, `${platform} bundle failed: ${na}`);
      // The bundle must hold the real thing, not an entry tree-shaken to nothing.
      assert.ok(code!.includes("client_credentials"), "the bundle sends a client_credentials grant");
      assert.ok(gzipped! <= budgets[feature]!, `${platform} bundle is ${gzipped} bytes gzipped, ${gzipped! - budgets[feature]!} over its ${budgets[feature]}-byte budget`);
    });
  }
}

budget("a token only carries none of keeper.fetch's code, which the quick start does", async () => {
  const { code: quickStart } = await bundleSize(featureEntries["quick start"]!, "neutral");
  const { code: tokenOnly } = await bundleSize(featureEntries["a token only (createTokenProvider)"]!, "neutral");
  for (const marker of ["BODY_NOT_REPLAYABLE", "fetch refused"]) {
    assert.ok(quickStart!.includes(marker), `the quick start holds keeper.fetch's "${marker}"`);
    assert.not.ok(tokenOnly!.includes(marker), `a token-only bundle holds keeper.fetch's "${marker}"`);
  }
});

budget("features bring their own code: none of it is in the quick start", async () => {
  const { code: quickStart } = await bundleSize(featureEntries["quick start"]!, "neutral");
  for (const [feature, marker] of Object.entries(markers)) {
    const { code } = await bundleSize(featureEntries[feature]!, "neutral");
    assert.ok(code!.includes(marker), `${feature} holds "${marker}"`);
    assert.not.ok(quickStart!.includes(marker), `the quick start holds ${feature}'s "${marker}"`);
  }
});

budget.run();
