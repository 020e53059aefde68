// The Cardlytics preset instead of the quick start's options.
import { cardlytics } from "../../../src/presets/cardlytics.ts";

const api = cardlytics({ clientId: "client", clientSecret: "secret" });
console.log((await api.fetch("/v2/some/resource")).status);
