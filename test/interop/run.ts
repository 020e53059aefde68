// The `node: real authorization servers` step: tokenkeeper against authorization servers nobody
// here wrote. Each server's suite runs in a process of its own, all three side by side
// (test/runtimes/side-by-side.ts): the servers start together and their 12 s soak tests overlap
// instead of following one another. Exits non-zero itself on any failure or when no test ran.
//   tsx test/interop/run.ts                 every suite
//   tsx test/interop/run.ts oidc-provider   one suite
import { fileURLToPath } from "node:url";
import { runSideBySide } from "../runtimes/side-by-side.ts";

await runSideBySide(fileURLToPath(import.meta.url), {
  "oidc-provider": () => import("./oidc-provider.test.ts"),
  "oauth2-server": () => import("./oauth2-server.test.ts"),
  authlib: () => import("./authlib.test.ts"),
});
