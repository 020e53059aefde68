// Node-only: the Debian package a subject in another language is graded from. The matrix names the
// build, not only the upstream version: Debian backports security fixes (ruby-oauth2's
// 1.4.4-1+deb12u1 drops Authorization on a cross-origin redirect; upstream 1.4.4 does not).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The Debian package's version of a library (`1.4.4-1+deb12u1`), or undefined off Debian. */
export async function debianVersion(pkg: string): Promise<string | undefined> {
  try {
    return (await run("dpkg-query", ["-W", "-f", "${Version}", pkg])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The upstream part of a Debian version: `1.4.4` of `1.4.4-1+deb12u1`. */
export function upstreamOf(debian: string): string {
  return debian.replace(/^\d+:/, "").replace(/-[^-]+$/, "");
}

/**
 * The version reports show for a library graded from a Debian package: `1.4.4 (Debian
 * 1.4.4-1+deb12u1)`; `fallback` (the version the program reports) off Debian.
 */
export async function debianBuild(pkg: string, fallback?: string): Promise<string | undefined> {
  const debian = await debianVersion(pkg);
  return debian ? `${upstreamOf(debian)} (Debian ${debian})` : fallback;
}

/** `subjectFromCommand` options that report the Debian build as the version, when there is one. */
export function debianOptions(version: string | undefined): { version?: string } {
  return version ? { version } : {};
}
