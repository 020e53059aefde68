// The catalogue's scenario groups, in catalogue order (CONFORMANCE.md). Runtime-neutral.

/** Every group, in catalogue order. */
export const SCENARIO_GROUPS = ["REQ", "AUTH", "GRANT", "RESP", "EXP", "CONC", "ERR", "RS", "SEC", "FAULT"] as const;

/**
 * A group of scenarios: request encoding, client authentication, grant parameters, token
 * response, expiry, concurrency, errors, resource server, security, faults.
 */
export type ScenarioGroup = (typeof SCENARIO_GROUPS)[number];

/**
 * The group of a scenario id (its prefix).
 *
 * @throws {RangeError} When the prefix is no catalogue group.
 */
export function groupOf(id: string): ScenarioGroup {
  const prefix = id.split("-")[0]!;
  const group = SCENARIO_GROUPS.find((g) => g === prefix);
  if (group === undefined) throw new RangeError(`scenario id "${id}": "${prefix}" is no catalogue group`);
  return group;
}
