// One burst measurement in a process of its own: a subject that sends thousands of token requests
// leaves sockets and timers behind, and none of that may slow the subjects measured after it.
// Usage: node --import tsx burst-child.ts <subject name>; prints the result as JSON, then exits.
import { measureBurst } from "./measure/burst.ts";
import { clientId, clientSecret, startTokenServer } from "./server.ts";
import { loadSubjects } from "./subjects/index.ts";

const name = process.argv[2];
const { subjects } = await loadSubjects();
const subject = subjects.find((s) => s.name === name);
if (!subject) throw new Error(`no subject named "${name}"`);
const server = await startTokenServer();
const instance = await subject.create({
  origin: server.origin,
  tokenUrl: server.tokenUrl,
  resourceUrl: server.resourceUrl,
  clientId,
  clientSecret,
  lifetimeS: 3600,
});
const result = await measureBurst(instance, server);
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
