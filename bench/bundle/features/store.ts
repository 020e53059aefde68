// The quick start with a shared store (the shared-store protocol and AES-GCM at rest come with it).
import { createTokenKeeper } from "../../../mod.ts";
import { memoryStore } from "../../../src/stores/memory.ts";

const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example.com",
  store: memoryStore({ encryptionKey: key }),
});
console.log((await api.fetch("/v2/some/resource")).status);
