// The libraries graded into docs/conformance-matrix.md, in the matrix's order: built-in subject
// names or module paths, as `--subject` takes them (node/subjects.ts). A subject in another
// language is one more entry here once it loads as a Subject.

/** The graded libraries, reference first. */
export const MATRIX_SUBJECTS: string[] = ["tokenkeeper", "oauth4webapi", "openid-client", "@badgateway/oauth2-client", "simple-oauth2", "@azure/msal-node"];

/** The peers: every graded library but the reference (the peers step runs each one's adapter). */
export const PEERS: readonly string[] = MATRIX_SUBJECTS.filter((s) => s !== "tokenkeeper");
