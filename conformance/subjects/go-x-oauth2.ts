// Go's golang.org/x/oauth2/clientcredentials (Node runner only), driven as a process subject
// (PROTOCOL.md): the program in go/ is built once per source version, offline, in GOPATH mode
// against Debian's golang-golang-x-oauth2-dev (/usr/share/gocode), and started per instance.
// How it uses the library, and what it cannot drive, is in go/client.go's header.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { subjectFromCommand } from "../process/subject.ts";
import { debianBuild, debianOptions, debianVersion, upstreamOf } from "./debian.ts";
import type { Subject } from "../types.ts";

const run = promisify(execFile);
// The Go sources stay beside the TypeScript sources; from dist/subjects/ they are two folders up.
const SOURCES = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./go/" : "../../subjects/go/", import.meta.url));
const GOPATH = "/usr/share/gocode";

/** Builds the program (once per source and library version) and returns the binary's path. */
async function build(version: string): Promise<string> {
  const files = readdirSync(SOURCES).filter((f) => f.endsWith(".go")).sort();
  const hash = createHash("sha256").update(version);
  for (const f of files) hash.update(f).update(readFileSync(join(SOURCES, f)));
  const dir = join(tmpdir(), "tokenkeeper-conformance-go");
  const binary = join(dir, `subject-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  if (!existsSync(join(GOPATH, "src/golang.org/x/oauth2/clientcredentials"))) {
    throw new Error(`golang.org/x/oauth2 is not in ${GOPATH}: apt-get install golang-go golang-golang-x-oauth2-dev`);
  }
  // GOPATH mode: no module proxy, no network; the library comes from Debian's GOPATH.
  const env = { ...process.env, GOPATH, GO111MODULE: "off", GOFLAGS: "", GOCACHE: join(dir, "cache"), CGO_ENABLED: "0" };
  try {
    await run("go", ["build", "-o", `${binary}.tmp`, "-ldflags", `-X main.libraryVersion=${version}`, "."], { cwd: SOURCES, env });
    renameSync(`${binary}.tmp`, binary);
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    throw new Error(e.code === "ENOENT" ? "the go command is missing: apt-get install golang-go golang-golang-x-oauth2-dev" : `go build failed: ${e.stderr || e.message}`);
  }
  return binary;
}

const debian = await debianVersion("golang-golang-x-oauth2-dev");

/** golang.org/x/oauth2/clientcredentials as a process subject. */
export const goOauth2: Subject = await subjectFromCommand([await build(debian ? upstreamOf(debian) : "unknown")], debianOptions(await debianBuild("golang-golang-x-oauth2-dev")));

export default goOauth2;
