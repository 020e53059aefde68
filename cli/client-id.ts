// How the command shows a client id. A client id is not a secret (RFC 6749 §2.2: it is public),
// so the doctor shows it, but the most common mistake with two variables is to swap them: then
// the "client id" is the secret. The command cannot know which of two strings is the secret, so
// it shows the id whole only when it reads like an identifier, and otherwise shows its first
// characters and treats it as a possible secret: scrubbed from everything else it prints.

/** Characters shown of a client id that may be a secret: fewer than a redactor piece (8). */
const SHOWN = 4;
/**
 * A run this long of the characters generated secrets are made of (base64, base64url without its
 * hyphen), with letters and digits both, is the shape of a generated secret. Identifiers people
 * choose (`billing-service`), URLs and GUIDs (runs of at most 12) do not have it; generated ids
 * (Auth0's 32 characters, Okta's 20) do, and are then shown in part.
 */
const GENERATED_RUN = /[A-Za-z0-9+/=_~]{20,}/g;

function looksGenerated(value: string): boolean {
  return (value.match(GENERATED_RUN) ?? []).some((run) => /[A-Za-z]/.test(run) && /\d/.test(run));
}

/** A client id as the command shows it. */
export interface ShownClientId {
  /** The id whole, or its first characters and its length. */
  readonly text: string;
  /** Whether it may be the client secret (and is scrubbed from output like one). */
  readonly maybeSecret: boolean;
}

/**
 * Decides how to show a client id: whole when it reads like an identifier; in part when it
 * equals or is as long as the configured secret (the variables swapped: secrets are usually
 * longer than ids) or has the shape of a generated secret.
 *
 * @param clientId The configured client id.
 * @param secret The configured client secret, when there is one.
 * @returns The text to show, and whether the id may be a secret.
 * @example A swapped pair
 * ```ts
 * showClientId("my-service", undefined); // { text: "my-service", maybeSecret: false }
 * showClientId("3f9KcP0qX7mZ2aL8vN4sT1wR6yB5", "my-service"); // text: "3f9K… (28 characters)"
 * ```
 */
export function showClientId(clientId: string, secret: string | undefined): ShownClientId {
  const maybeSecret = (secret !== undefined && clientId.length >= secret.length) || looksGenerated(clientId);
  return maybeSecret ? { text: `${clientId.slice(0, SHOWN)}… (${clientId.length} characters)`, maybeSecret } : { text: clientId, maybeSecret };
}
