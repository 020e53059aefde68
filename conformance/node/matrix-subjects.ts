// The libraries graded into docs/conformance-matrix.md, in the matrix's order: built-in subject
// names or module paths, as `--subject` takes them (node/subjects.ts). A subject in another
// language is one more entry here once it loads as a Subject.

/** Clients in other languages (PROTOCOL.md): every instance is a program, so fewer scenarios run at once. */
export const PROCESS_SUBJECTS: ReadonlySet<string> = new Set(["go-x-oauth2", "authlib", "ruby-oauth2"]);

/**
 * The command-line arguments process subjects are graded with: fewer scenarios at a time, and a
 * longer deadline per scenario, since every instance starts a program and a busy machine slows
 * that down. The scenarios' own checks, real-time bounds included, stay as they are.
 */
export const PROCESS_ARGS: readonly string[] = ["--concurrency", "4", "--timeout-ms", "90000"];

/** The graded libraries, reference first, then JavaScript peers, then the other languages. */
export const MATRIX_SUBJECTS: string[] = ["tokenkeeper", "oauth4webapi", "openid-client", "@badgateway/oauth2-client", "simple-oauth2", "@azure/msal-node", ...PROCESS_SUBJECTS];

/**
 * The JavaScript peers: every graded library but the reference and the other languages (the peers
 * step runs each one's adapter; each language has a step of its own, node/polyglot.ts).
 */
export const PEERS: readonly string[] = MATRIX_SUBJECTS.filter((s) => s !== "tokenkeeper" && !PROCESS_SUBJECTS.has(s));
