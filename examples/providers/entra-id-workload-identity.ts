// Microsoft Entra Workload ID on Kubernetes (AKS or any cluster with a federated identity
// credential): no secret at all. The pod's projected service account token, which the workload
// identity webhook mounts at AZURE_FEDERATED_TOKEN_FILE and the kubelet rotates, is the client
// assertion ("Third case: Access token request with a federated credential",
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow;
// https://learn.microsoft.com/entra/workload-id/workload-identity-federation). The file is read
// again for every token request, so a rotation is picked up without a restart, and a token past
// its exp is never sent.
//   AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token npx tsx examples/providers/entra-id-workload-identity.ts
// In CI, examples/shared/run-all.ts runs it against a fake Entra tenant (test/providers/entra-id.ts)
// with a service account token it signs as the cluster's issuer.
import { clientAssertion, createTokenKeeper } from "tokenkeeper";

const graph = createTokenKeeper({
  tokenEndpoint: `https://login.microsoftonline.com/${process.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
  clientId: process.env.AZURE_CLIENT_ID!,
  clientAuth: clientAssertion({ file: process.env.AZURE_FEDERATED_TOKEN_FILE! }),
  scope: "https://graph.microsoft.com/.default",
  baseUrl: "https://graph.microsoft.com/v1.0",
});

const res = await graph.fetch("/users?$top=1&$select=id,displayName");
if (!res.ok) throw new Error(`GET /users: ${res.status}`);
const { value } = (await res.json()) as { value: { displayName: string }[] };
console.log("users:", value.map((user) => user.displayName));
