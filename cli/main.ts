#!/usr/bin/env node
// The `tokenkeeper` bin. Exits once the output is flushed: a subject graded by `conformance` may
// leave timers or sockets behind.
import process from "node:process";
import { processIo } from "./io.ts";
import { run } from "./run.ts";

const code = await run(process.argv.slice(2), processIo());
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
