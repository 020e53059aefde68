// Measures `tokenkeeper doctor` against servers that send huge and endless bodies: wall time and
// peak memory of the command, from a checkout of this repository (this one by default, or another
// one to compare with). A measurement for the record, not a test: times vary with the machine.
//
//   node node_modules/tsx/dist/cli.mjs test/cli/measure-body-cap.ts [checkout] [--endless]
//
// --endless adds servers whose bodies never end; leave it off for a checkout that reads bodies
// without a limit (it would buffer until memory runs out).
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type HostileReply, type HostileRequest, startHostileServer } from "./hostile-server.ts";

const here = fileURLToPath(new URL("../../", import.meta.url));
const argv = process.argv.slice(2);
const checkout = resolve(argv.find((a) => !a.startsWith("--")) ?? here);
const MB = 1024 * 1024;

const token = (): HostileReply => ({ headers: [["Content-Type", "application/json"], ["Cache-Control", "no-store"]], body: JSON.stringify({ access_token: "opaque-token-value", token_type: "Bearer", expires_in: 300 }) });

/** A metadata document of about `size` bytes: one long list of advertised methods and grants. */
function hugeMetadata(origin: string, size: number): string {
  const item = '"client_secret_x",';
  const list = item.repeat(Math.floor(size / 2 / item.length));
  return `{"issuer":"${origin}","token_endpoint":"${origin}/token","token_endpoint_auth_methods_supported":[${list}"client_secret_post"],"grant_types_supported":[${list}"client_credentials"]}`;
}

interface Scenario {
  readonly name: string;
  readonly route: (origin: string) => (request: HostileRequest) => HostileReply;
}

const scenarios: Scenario[] = [
  {
    name: "a small metadata document (the baseline)",
    route: (origin) => (request) => (request.method === "POST" ? token() : { headers: [["Content-Type", "application/json"]], body: hugeMetadata(origin, 1024) }),
  },
  {
    name: "metadata of 16 MB",
    route: (origin) => {
      const metadata = hugeMetadata(origin, 16 * MB);
      return (request) => (request.method === "POST" ? token() : { headers: [["Content-Type", "application/json"]], body: metadata });
    },
  },
  {
    name: "token response of 16 MB",
    route: () => (request) =>
      request.method === "POST"
        ? { headers: [["Content-Type", "application/json"]], body: { prefix: '{"access_token":"opaque","token_type":"Bearer","scope":"', filler: "read ", size: 16 * MB } }
        : { status: 404 },
  },
];
if (argv.includes("--endless")) {
  scenarios.push({
    name: "metadata and token response without end",
    route: () => (request) => ({ headers: [["Content-Type", "application/json"]], body: { prefix: request.method === "POST" ? '{"scope":"' : '{"grant_types_supported":[', filler: request.method === "POST" ? "read " : '"x",', size: Infinity } }),
  });
}

function timed(args: string[], env: Record<string, string>): Promise<{ code: number; seconds: number; maxRssMb: number; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn("/usr/bin/time", ["-f", "TIME %e %M", process.execPath, join(checkout, "node_modules/tsx/dist/cli.mjs"), join(checkout, "cli/main.ts"), ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", fail);
    child.on("close", (code) => {
      const [, seconds, kb] = /TIME ([\d.]+) (\d+)/.exec(stderr) ?? [];
      done({ code: code ?? -1, seconds: Number(seconds), maxRssMb: Math.round(Number(kb) / 1024), stdout });
    });
  });
}

console.log(`tokenkeeper doctor, from ${checkout}`);
for (const scenario of scenarios) {
  let origin = "";
  let route: ((request: HostileRequest) => HostileReply) | undefined;
  const server = await startHostileServer((request) => route!(request));
  origin = server.url;
  route = scenario.route(origin);
  try {
    const ran = await timed(["doctor", "--dangerously-allow-http", server.host], {
      TOKENKEEPER_TOKEN_ENDPOINT: `${origin}/token`,
      TOKENKEEPER_CLIENT_ID: "measure-client",
      TOKENKEEPER_CLIENT_SECRET: "measure-secret-value",
    });
    const longest = Math.max(...ran.stdout.split("\n").map((line) => line.length));
    console.log(`${scenario.name}: exit ${ran.code}, ${ran.seconds.toFixed(1)} s, ${ran.maxRssMb} MB peak RSS, the server's sockets took ${(server.bytesSent() / MB).toFixed(1)} MB, longest line ${longest} characters, mentions the 65536-byte cap: ${/65536|64 KiB/.test(ran.stdout) ? "yes" : "no"}`);
  } finally {
    await server.close();
  }
}
