// The seed API: Cardlytics documents client credentials with client_secret_post at
// https://api.cardlytics.com/api/v1/idp/oauth2/token. The preset fills in both URLs.
//   CARDLYTICS_CLIENT_ID=… CARDLYTICS_CLIENT_SECRET=… npx tsx examples/cardlytics.ts
// In CI, examples/shared/run-all.ts runs it against a fake of that API.
import { cardlytics } from "tokenkeeper/presets/cardlytics";

const api = cardlytics({
  clientId: process.env.CARDLYTICS_CLIENT_ID!,
  clientSecret: process.env.CARDLYTICS_CLIENT_SECRET!,
});

const res = await api.fetch("/v2/some/resource");
console.log(await res.json());
