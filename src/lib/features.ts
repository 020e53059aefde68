/**
 * The brands of the values that bring optional features (`discover()`, `dpop()`, a shared store):
 * the core recognises them here without importing the feature's code, so a bundler drops what a
 * keeper does not use.
 */

/** Brands a {@link discover} value; holds its metadata resolver. */
export const discoveryFeature: unique symbol = Symbol("tokenkeeper.discovery");
/** Brands a {@link dpop} value; holds its DPoP support. */
export const dpopFeature: unique symbol = Symbol("tokenkeeper.dpop");
/** Brands a {@link sharedStore} value; holds its store protocol. */
export const storeFeature: unique symbol = Symbol("tokenkeeper.sharedStore");

/** What `value` brings under `brand`, or `undefined` when it was not made by the feature. */
export function featureOf<T>(value: unknown, brand: typeof discoveryFeature | typeof dpopFeature | typeof storeFeature): T | undefined {
  return typeof value === "object" && value !== null ? (value as Record<symbol, T | undefined>)[brand] : undefined;
}
