// Node-only: the certificate authority a process subject trusts. The proxy (proxy.ts) answers a
// program's CONNECT to `as.test:443` with a certificate for `as.test` signed by this CA, made on
// first use with the openssl CLI and kept for the rest of the run. The CA's PEM file is what the
// program is told to trust (PROTOCOL.md, "TLS").
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext, type SecureContext } from "node:tls";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A private key and its certificate chain, PEM-encoded, for a TLS server. */
export interface LeafPem {
  key: string;
  cert: string;
}

/** The suite's CA for process subjects. */
export interface ProcessCa {
  /** Path of the CA certificate (PEM) that programs trust. */
  readonly caFile: string;
  /** A leaf certificate for `host` (a DNS name or an IP address), made once and then cached. */
  leaf(host: string): Promise<LeafPem>;
  /**
   * A TLS server context with `host`'s leaf, made once and then shared by every tunnel to that
   * host, so that a client can resume its TLS sessions (one context, one set of ticket keys).
   */
  context(host: string): Promise<SecureContext>;
  /** Removes the CA's files. */
  dispose(): void;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

let shared: Promise<ProcessCa> | undefined;

/**
 * The process-wide CA, made on first call (openssl `req -x509`). Its files live in a temporary
 * folder removed when the Node process exits.
 *
 * @throws {Error} When openssl is missing or fails (the message says which).
 */
export function processCa(): Promise<ProcessCa> {
  shared ??= makeCa().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function makeCa(): Promise<ProcessCa> {
  const dir = mkdtempSync(join(tmpdir(), "conformance-process-ca-"));
  const ssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  try {
    await ssl("req", "-x509", ...EC, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=tokenkeeper conformance process CA");
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`process subjects need the openssl command to make a test CA: ${String((error as Error)?.message ?? error).split("\n")[0]}`);
  }
  const leaves = new Map<string, Promise<LeafPem>>();
  const contexts = new Map<string, Promise<SecureContext>>();
  let serial = 0;
  const makeLeaf = async (host: string): Promise<LeafPem> => {
    const name = `leaf${++serial}`;
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${IPV4.test(host) ? "IP" : "DNS"}:${host}\n`);
    await ssl("req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${host}`);
    await ssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", String(1000 + serial), "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
    return { key: readFileSync(join(dir, `${name}.key`), "utf8"), cert: readFileSync(join(dir, `${name}.crt`), "utf8") };
  };
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", dispose);
  const ca: ProcessCa = {
    caFile: join(dir, "ca.pem"),
    context(host) {
      let context = contexts.get(host);
      if (!context) {
        context = ca.leaf(host).then((leaf) => createSecureContext(leaf));
        contexts.set(host, context);
        context.catch(() => contexts.delete(host));
      }
      return context;
    },
    leaf(host) {
      let leaf = leaves.get(host);
      if (!leaf) {
        leaf = makeLeaf(host);
        leaves.set(host, leaf);
        leaf.catch(() => leaves.delete(host));
      }
      return leaf;
    },
    dispose,
  };
  return ca;
}
