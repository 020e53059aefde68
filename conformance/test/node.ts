// Node entry of the package's own tests (uvu on tsx, with the tokenkeeper-source condition):
//   node node_modules/tsx/dist/cli.mjs --conditions=tokenkeeper-source conformance/test/node.ts
import "./fake-date.test.ts";
import "./report-schema.test.ts";
import "./matrix.test.ts";
import "./main.test.ts";
import "./tiers.test.ts";
import "./package.test.ts";
import "./process/protocol.test.ts";
import "./process/fork.test.ts";
import "./process/reference.test.ts";
