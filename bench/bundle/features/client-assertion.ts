// The quick start with a federated client assertion read from a file (clientAssertion()), as
// Microsoft Entra Workload ID on Kubernetes takes it.
import { clientAssertion, createTokenKeeper } from "../../../mod.ts";

const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientAuth: clientAssertion({ file: "/var/run/secrets/azure/tokens/azure-identity-token" }),
  baseUrl: "https://api.example.com",
});
console.log((await api.fetch("/v2/some/resource")).status);
