// Node-only: grades one subject in a child process (the command line, main.ts) and reads back its
// JSON report. A child keeps each library's timers, sockets and global Date to itself.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Report } from "../report.ts";

/** What a child run left: its exit, its output and its report. */
export interface ChildRun {
  subject: string;
  /** Exit code, or `null` when a signal (or the deadline) ended it. */
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr, interleaved. */
  output: string;
  /** The JSON report, when the child wrote one. */
  report?: Report;
}

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

/**
 * Runs `cli.ts --subject <subject>` under the same Node flags as this process (tsx's loader and
 * the tokenkeeper-source condition included), writing the JSON report to `jsonFile`.
 */
export function runInChild(subject: string, jsonFile: string, options: { deadlineMs?: number; args?: readonly string[] } = {}): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, CLI, "--subject", subject, "--json", jsonFile, ...(options.args ?? [])], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => void (output += chunk));
    child.stderr.on("data", (chunk) => void (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.deadlineMs ?? 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const report = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, "utf8")) as Report) : undefined;
      resolve({ subject, code, timedOut, output, ...(report ? { report } : {}) });
    });
  });
}
