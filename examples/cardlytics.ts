// The seed API: Cardlytics documents client credentials with client_secret_post at
// https://api.cardlytics.com/api/v1/idp/oauth2/token. The preset fills in both.
//   CARDLYTICS_CLIENT_ID=… CARDLYTICS_CLIENT_SECRET=… npx tsx examples/cardlytics.ts
// In CI, TOKENKEEPER_EXAMPLE_API points the preset at a local fake of that API.
import { allowInsecureRequests } from "../mod.ts"; // in your project: from "tokenkeeper"
import { cardlytics } from "../src/presets/cardlytics.ts"; // in your project: from "tokenkeeper/presets/cardlytics"

const fake = process.env["TOKENKEEPER_EXAMPLE_API"];

const api = cardlytics({
  clientId: process.env["CARDLYTICS_CLIENT_ID"] ?? "",
  clientSecret: process.env["CARDLYTICS_CLIENT_SECRET"] ?? "",
  // Only for the local fake: another origin, plain http on loopback.
  ...(fake ? { baseUrl: fake, [allowInsecureRequests]: true } : {}),
});

try {
  const res = await api.fetch("/v2/some/resource");
  if (!res.ok) throw new Error(`GET /v2/some/resource failed: ${res.status}`);
  console.log(await res.json());
} finally {
  await api.close();
}
