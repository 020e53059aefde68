// The quick start with private_key_jwt signed by an X.509 certificate's key (certificateKey(): PEM
// and DER reading, the thumbprints in the header), as Microsoft Entra ID takes it.
import { certificateKey, createTokenKeeper, privateKeyJwt } from "../../../mod.ts";

declare const pem: string; // the certificate and its PKCS#8 key
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientAuth: privateKeyJwt(await certificateKey(pem)),
  baseUrl: "https://api.example.com",
});
console.log((await api.fetch("/v2/some/resource")).status);
