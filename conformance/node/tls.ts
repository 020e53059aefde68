// Node-only: a throwaway test CA made with the openssl CLI at run time, and HTTPS token servers
// with a trusted, a self-signed, an expired and a wrong-host certificate (SEC-02).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FetchLike, TlsHost } from "../types.ts";
import { listen } from "./http.ts";

interface Pem {
  key: string;
  cert: string;
}

/**
 * Generates the CA and the four leaf certificates; `undefined` when openssl is missing.
 *
 * @param days How long the CA and the valid leaves last.
 */
export function makeCertificates(days = 2): { ca: string; trusted: Pem; selfSigned: Pem; expired: Pem; wrongHost: Pem } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "conformance-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  try {
    ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", String(days), "-subj", "/CN=tokenkeeper conformance CA");
    const leaf = (name: string, san: string, days: string, selfSigned = false): Pem => {
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      if (selfSigned) {
        ssl("req", "-x509", ...ec, "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", days, "-subj", "/CN=localhost", "-addext", `subjectAltName=${san}`);
      } else {
        ssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", "/CN=localhost");
        ssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", days, "-extfile", `${name}.ext`, "-out", `${name}.crt`);
      }
      return { key: readFileSync(join(dir, `${name}.key`), "utf8"), cert: readFileSync(join(dir, `${name}.crt`), "utf8") };
    };
    const localhost = "DNS:localhost,IP:127.0.0.1";
    return {
      trusted: leaf("trusted", localhost, String(days)),
      selfSigned: leaf("self", localhost, String(days), true),
      // -days -1: notAfter lies before notBefore, so the certificate is already expired.
      expired: leaf("expired", localhost, "-1"),
      wrongHost: leaf("wrong", "DNS:wrong.test", String(days)),
      ca: readFileSync(join(dir, "ca.crt"), "utf8"),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fetch over node:https that trusts `ca` only (the positive control), returning a global Response. */
export function fetchTrusting(ca: string): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(request.url, { method: request.method, headers: Object.fromEntries(request.headers), ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
          resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }));
        });
        res.on("error", reject);
      });
      req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
      req.end(body);
    });
  };
}

/** The TLS host capability, or `undefined` when certificates cannot be made here. */
export function createTlsHost(): TlsHost | undefined {
  const certs = makeCertificates();
  if (!certs) return undefined;
  return {
    async serve(handler) {
      const kinds = ["trusted", "selfSigned", "expired", "wrongHost"] as const;
      const servers = await Promise.all(kinds.map((k) => listen((request) => handler(request), certs[k])));
      const urls = Object.fromEntries(kinds.map((k, i) => [k, servers[i]!.url])) as Record<(typeof kinds)[number], string>;
      return { urls, trustingFetch: fetchTrusting(certs.ca), close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
    },
  };
}
