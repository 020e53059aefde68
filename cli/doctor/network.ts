// Node-only: the doctor's DNS and TLS steps for one origin, with node:dns and node:tls.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { checkServerIdentity, connect, type PeerCertificate, type TLSSocket } from "node:tls";
import type { Report } from "./report.ts";

const DAY_MS = 86_400_000;
/** A certificate that expires sooner than this is worth a warning: renewal is overdue. */
const RENEWAL_WARNING_DAYS = 14;
const CONNECT_TIMEOUT_MS = 10_000;

/** Hints for the certificate errors people meet most. */
const TLS_HINTS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: "a private CA? Trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem",
  DEPTH_ZERO_SELF_SIGNED_CERT: "a self-signed certificate: give the server one from a CA, or trust that CA with NODE_EXTRA_CA_CERTS",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "a private CA, or a server that does not send its intermediate certificates? NODE_EXTRA_CA_CERTS=/path/to/ca.pem trusts a CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "a private CA (trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem), or a server that does not send its intermediate certificates",
  CERT_HAS_EXPIRED: "the server's certificate has expired: it must be renewed",
  CERT_NOT_YET_VALID: "the certificate is not valid yet: check this machine's clock",
};

function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Resolves the origin's host name.
 *
 * @param url A URL on the origin.
 * @param report Where findings go.
 * @returns Whether the name resolves (an IP address needs no lookup).
 */
export async function checkDns(url: URL, report: Report): Promise<boolean> {
  const host = hostnameOf(url);
  if (isIP(host)) return report.add("ok", `${host} is an IP address: no lookup needed`), true;
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    report.add("ok", `${host} resolves to ${addresses.map((a) => a.address).join(", ")}`);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    report.add("fail", `${host} does not resolve (${code})${code === "ENOTFOUND" ? ": is the host name right?" : ""}`);
    return false;
  }
}

function handshake(url: URL): Promise<TLSSocket> {
  const host = hostnameOf(url);
  return new Promise((resolve, reject) => {
    // Unverified on purpose: the doctor wants to see and describe a certificate a client refuses.
    const socket = connect({ host, port: Number(url.port || 443), rejectUnauthorized: false, ALPNProtocols: ["http/1.1"], ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    socket.once("secureConnect", () => (clearTimeout(timer), resolve(socket)));
    socket.once("error", (error) => (clearTimeout(timer), reject(error)));
  });
}

function names(cert: PeerCertificate): string {
  const san = cert.subjectaltname?.split(", ").map((n) => n.replace(/^(DNS|IP Address):/, "")).join(", ");
  return san || String(cert.subject?.CN ?? "no name");
}

/**
 * Connects with TLS and describes the server's certificate: trust, name, validity, protocol.
 *
 * @param url An https URL on the origin.
 * @param report Where findings go.
 * @returns Whether a client that verifies certificates would connect.
 */
export async function checkTls(url: URL, report: Report): Promise<boolean> {
  const host = hostnameOf(url);
  let socket: TLSSocket;
  try {
    socket = await handshake(url);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    report.add("fail", `no TLS connection to ${url.host}: ${code ?? (error as Error).message}${code === "ECONNREFUSED" ? " (nothing listens on that port)" : ""}`);
    return false;
  }
  try {
    const cert = socket.getPeerCertificate();
    const validTo = Date.parse(cert.valid_to);
    const days = Math.floor((validTo - Date.now()) / DAY_MS);
    const issuer = String(cert.issuer?.O ?? cert.issuer?.CN ?? "an unnamed issuer");
    const reason = socket.authorized ? undefined : String(socket.authorizationError);
    const identity = checkServerIdentity(host, cert);
    const trusted = reason === undefined && identity === undefined;
    report.add(trusted ? "ok" : "note", `${socket.getProtocol()} with ${url.host} (${socket.getCipher().name}); certificate for ${names(cert)}, issued by ${issuer}, valid until ${new Date(validTo).toISOString().slice(0, 10)}`);
    if (reason !== undefined) report.add("fail", `the certificate is not trusted: ${reason}${TLS_HINTS[reason] ? `\n${TLS_HINTS[reason]}` : ""}`);
    if (identity) report.add("fail", `the certificate is not for ${host}: it names ${names(cert)}`);
    if (trusted && days < RENEWAL_WARNING_DAYS) report.add("warn", `the certificate expires in ${Math.max(days, 0)} day(s): renewal is due`);
    if (/^TLSv1(\.1)?$/.test(socket.getProtocol() ?? "")) report.add("warn", `${socket.getProtocol()} is obsolete: the server should offer TLS 1.2 or 1.3`);
    return trusted;
  } finally {
    socket.destroy();
  }
}
