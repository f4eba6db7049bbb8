import { OAuth2OptionsError } from '../errors';

/** Where the attachments of one axios object are recorded (on the object itself, not in module state). */
const ATTACHMENTS = Symbol.for('axios-oauth2-bearer.attachments');

type Registry = Set<ReadonlySet<string>>;

function registryOf(instance: object): Registry {
  const holder = instance as Record<symbol, Registry | undefined>;
  let registry = holder[ATTACHMENTS];
  if (!registry) {
    registry = new Set();
    Object.defineProperty(instance, ATTACHMENTS, { value: registry, configurable: true, enumerable: false });
  }
  return registry;
}

/**
 * Records an attachment serving `origins` on `instance`; several attachments may share one axios
 * object (the default export an SDK uses, say) when their origins are disjoint.
 * Returns the function that removes the record (on detach).
 *
 * @throws {OAuth2OptionsError} naming `apiOrigins` and the first origin another attachment already serves.
 */
export function registerAttachment(instance: object, origins: ReadonlySet<string>): () => void {
  const registry = registryOf(instance);
  for (const other of registry) {
    for (const origin of origins) {
      if (other.has(origin)) {
        throw new OAuth2OptionsError(
          'apiOrigins',
          `axios-oauth2-bearer: this axios instance already has the plugin attached for ${origin}; give each attachment its own apiOrigins, or call detach() on the first handle before attaching again`,
        );
      }
    }
  }
  registry.add(origins);
  return () => {
    registry.delete(origins);
  };
}
