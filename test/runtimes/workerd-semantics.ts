// workerd Workers-semantics entry (run on Node with tsx): the tests in test/workerd/ drive real
// dispatches into workerd through miniflare, one worker or a fleet, one workerd per suite. The
// two suites run side by side, each in a process of its own (test/runtimes/side-by-side.ts); the
// entry exits non-zero itself on any failure.
//   tsx test/runtimes/workerd-semantics.ts [semantics | fleet]
import { fileURLToPath } from "node:url";
import { runSideBySide } from "./side-by-side.ts";

await runSideBySide(fileURLToPath(import.meta.url), {
  semantics: () => import("../workerd/semantics.test.ts"),
  fleet: () => import("../workerd/fleet.test.ts"),
});
