// Authlib (Python, Flask) as a child process: test/interop/authlib/server.py, run by the virtual
// environment that scripts/interop-python.sh makes in .venv/.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Fixture } from "../fixture.ts";
import type { InteropServer } from "../server.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PYTHON = `${ROOT}.venv/bin/python`;
const SCRIPT = fileURLToPath(new URL("../authlib/server.py", import.meta.url));
const START_TIMEOUT_MS = 20_000;

function registration(fixture: Fixture): unknown {
  const { post, basic, basicSpecial, secretJwt, keyJwt, jwtBearer } = fixture;
  return {
    clients: [
      { client_id: post.clientId, secret: post.secret, method: "client_secret_post", scope: fixture.scope },
      { client_id: basic.clientId, secret: basic.secret, method: "client_secret_basic" },
      { client_id: basicSpecial.clientId, secret: basicSpecial.secret, method: "client_secret_basic" },
      { client_id: secretJwt.clientId, secret: secretJwt.secret, method: "client_secret_jwt" },
      { client_id: keyJwt.clientId, jwk: keyJwt.publicJwk, method: "private_key_jwt" },
      { client_id: jwtBearer.clientId, jwk: jwtBearer.publicJwk, method: "jwt_bearer", scope: fixture.scope, users: [fixture.jwtBearerUser] },
    ],
    scope: fixture.scope,
    lifetime: fixture.tokenLifetimeSeconds,
  };
}

/** Waits for the "listening <port> <versions>" line; rejects with the server's stderr when it exits or hangs. */
function listening(child: ChildProcess, stderr: () => string): Promise<{ port: number; name: string }> {
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => reject(new Error(`Authlib server ${why}:\n${stderr()}`));
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once("exit", (code) => fail(`exited with ${code}`));
    child.once("error", (error) => fail(`could not run (${error.message})`));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening (\d+) (.+)$/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ port: Number(match[1]), name: match[2]! });
    });
  });
}

/**
 * Starts the Authlib server on http://127.0.0.1:<free port> with the fixture's clients.
 *
 * @param fixture The clients to register.
 * @returns The running server.
 * @throws {Error} When .venv/ is missing, or the server does not start.
 */
export async function startAuthlib(fixture: Fixture): Promise<InteropServer> {
  if (!existsSync(PYTHON)) {
    throw new Error(`Authlib: no Python virtual environment at ${PYTHON}: run "bash scripts/interop-python.sh" (needs python3 with venv)`);
  }
  const child = spawn(PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
  const kill = (): boolean => child.kill("SIGKILL");
  process.on("exit", kill);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk).slice(-4_000)));
  // One line of JSON; stdin stays open, and the server exits when it closes.
  child.stdin!.write(`${JSON.stringify(registration(fixture))}\n`);
  const stop = async (): Promise<void> => {
    process.off("exit", kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.stdin!.end();
    const timer = setTimeout(kill, 3_000);
    await exited;
    clearTimeout(timer);
  };
  let started: { port: number; name: string };
  try {
    started = await listening(child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const origin = `http://127.0.0.1:${started.port}`;
  return {
    name: started.name,
    where: { tokenEndpoint: `${origin}/token` },
    tokenEndpoint: `${origin}/token`,
    origin,
    fetch: (input, init) => fetch(input, init),
    insecure: true,
    stop,
  };
}
