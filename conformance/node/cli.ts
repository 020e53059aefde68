#!/usr/bin/env node
// Node entry of the command line: `npm run conformance -- [--subject <name|path>] [--only ID,ID]
// [--format table|markdown|json] [--json file] [--fake-timers]`. See main.ts.
import { main } from "./main.ts";

const code = await main(process.argv.slice(2));
// Exit now: a broken subject may leave timers or sockets behind.
process.exit(code);
