// Microsoft Entra ID from a GitHub Actions job, without a stored secret: the job's OIDC token
// (audience api://AzureADTokenExchange) is the client assertion of an app with a federated
// identity credential for the repository
// (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust).
// GitHub documents the token request: GET ACTIONS_ID_TOKEN_REQUEST_URL with `&audience=` and
// `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answered with `{ "value": "<JWT>" }`
// (https://docs.github.com/en/actions/reference/security/oidc); the job needs
// `permissions: id-token: write`. The token lives minutes: the function is called again a minute
// before it expires, and never sent past its exp.
// In CI, examples/shared/run-all.ts runs it against fakes of GitHub's OIDC endpoint and of an Entra
// tenant (test/providers/github-actions.ts, test/providers/entra-id.ts).
import { clientAssertion, createTokenKeeper } from "tokenkeeper";

const githubOidcToken = clientAssertion(async () => {
  const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL!);
  url.searchParams.set("audience", "api://AzureADTokenExchange");
  const res = await fetch(url, { headers: { authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
  if (!res.ok) throw new Error(`GitHub OIDC token request failed: ${res.status}`);
  return ((await res.json()) as { value: string }).value;
});

const graph = createTokenKeeper({
  tokenEndpoint: `https://login.microsoftonline.com/${process.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
  clientId: process.env.AZURE_CLIENT_ID!,
  clientAuth: githubOidcToken,
  scope: "https://graph.microsoft.com/.default",
  baseUrl: "https://graph.microsoft.com/v1.0",
});

const res = await graph.fetch("/users?$top=1&$select=id,displayName");
if (!res.ok) throw new Error(`GET /users: ${res.status}`);
const { value } = (await res.json()) as { value: { displayName: string }[] };
console.log("users:", value.map((user) => user.displayName));
