// Node conformance entry: the suite against tokenkeeper with Node's host (TLS servers,
// util.inspect); exits non-zero itself when a MUST fails. The full CLI with subjects and JSON
// reports is conformance/node/cli.ts.
import { nodeHost } from "../../conformance/node/host.ts";
import { runConformance } from "./conformance-run.ts";

const ok = await runConformance(nodeHost(), (text) => void process.stdout.write(text));
process.exitCode = ok ? 0 : 1;
