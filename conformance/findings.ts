// Why each peer misses what it misses: for every scenario a peer fails, misses or cannot be graded
// in, the line of the peer's own source (or docs) at the graded version that causes it. The matrix
// prints these next to the failures; `npm run conformance:matrix` lists misses without one.
// Runtime-neutral data.

/** One cause: what the peer does and the line that does it. */
export interface Finding {
  /** What the library does, in a few words. */
  why: string;
  /** github.com/OWNER/REPO/blob/TAG/PATH#Lnn, or the docs page that says so. */
  link: string;
}

/** A peer's findings at one version, keyed by scenario id (or several ids, comma-separated). */
export interface PeerFindings {
  version: string;
  byScenario: Readonly<Record<string, Finding>>;
}

/** Findings per subject name. */
export const FINDINGS: Readonly<Record<string, PeerFindings>> = {};

/** The finding for one subject's scenario, with the version it was traced at. */
export function findingFor(subject: string, id: string, findings: Readonly<Record<string, PeerFindings>> = FINDINGS): (Finding & { version: string }) | undefined {
  const peer = findings[subject];
  if (!peer) return undefined;
  for (const [keys, finding] of Object.entries(peer.byScenario)) {
    if (keys.split(",").map((k) => k.trim()).includes(id)) return { ...finding, version: peer.version };
  }
  return undefined;
}
