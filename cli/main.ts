#!/usr/bin/env node
// The `tokenkeeper` bin. Exits once the output is flushed: a subject graded by `conformance` may
// leave timers or sockets behind.
import process from "node:process";
import { processStreams } from "./process-streams.ts";
import { run } from "./run.ts";

const code = await run(process.argv.slice(2), processStreams());
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
