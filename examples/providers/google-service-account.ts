// A Google service account, with the JWT bearer grant as Google documents it in "Using OAuth 2.0
// for Server to Server Applications" (https://developers.google.com/identity/protocols/oauth2/service-account):
// a JWT signed with the key file's private key (RS256, kid = private_key_id; iss = client_email,
// scope, aud = token_uri, iat, exp at most an hour later) exchanged at token_uri with
// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer. googleServiceAccount() makes the keeper's
// options from the key file; it needs only Web Crypto, so it runs on Workers too (with the key
// file's JSON in a secret).
//   GOOGLE_APPLICATION_CREDENTIALS=key.json npx tsx examples/providers/google-service-account.ts
// In CI, examples/shared/run-all.ts runs it against a fake of Google's token endpoint and Cloud
// Storage (test/providers/google.ts).
import { readFile } from "node:fs/promises";
import { createTokenKeeper, googleServiceAccount } from "tokenkeeper";

const keyFile = await readFile(process.env.GOOGLE_APPLICATION_CREDENTIALS!, "utf8");

const storage = createTokenKeeper({
  ...googleServiceAccount(keyFile, { scope: "https://www.googleapis.com/auth/devstorage.read_only" }),
  baseUrl: "https://storage.googleapis.com/storage/v1",
});

const res = await storage.fetch("/b/tokenkeeper-reports/o");
if (!res.ok) throw new Error(`GET /b/tokenkeeper-reports/o: ${res.status}`);
const { items } = (await res.json()) as { items: { name: string }[] };
console.log("objects:", items.map((item) => item.name));
