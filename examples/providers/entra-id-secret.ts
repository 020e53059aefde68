// Microsoft Entra ID with a client secret: the client credentials flow for Microsoft Graph, as
// Microsoft documents it ("First case: Access token request with a shared secret",
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
// POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token with client_id, client_secret
// (client_secret_post, what `clientSecret` sends) and scope = the resource's ".default".
//   AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=… npx tsx examples/providers/entra-id-secret.ts
// In CI, examples/shared/run-all.ts runs it against a fake Entra tenant (test/providers/entra-id.ts).
import { createTokenKeeper } from "tokenkeeper";

const graph = createTokenKeeper({
  tokenEndpoint: `https://login.microsoftonline.com/${process.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
  clientId: process.env.AZURE_CLIENT_ID!,
  clientSecret: process.env.AZURE_CLIENT_SECRET!,
  // One resource per token, its application ID URI with "/.default": the app permissions an
  // administrator granted. Scopes of two resources need two keepers (or getToken({ scope })).
  scope: "https://graph.microsoft.com/.default",
  baseUrl: "https://graph.microsoft.com/v1.0",
});

const res = await graph.fetch("/users?$top=1&$select=id,displayName");
if (!res.ok) throw new Error(`GET /users: ${res.status}`);
const { value } = (await res.json()) as { value: { displayName: string }[] };
console.log("users:", value.map((user) => user.displayName));
