// A Google service account key file (googleServiceAccount(): the JWT bearer grant as Google
// documents it) instead of the quick start's client credentials.
import { createTokenKeeper, googleServiceAccount } from "../../../mod.ts";

declare const keyFile: string; // the service account key file's JSON
const api = createTokenKeeper({
  ...googleServiceAccount(keyFile, { scope: "https://www.googleapis.com/auth/devstorage.read_only" }),
  baseUrl: "https://storage.googleapis.com/storage/v1",
});
console.log((await api.fetch("/b/my-bucket/o")).status);
