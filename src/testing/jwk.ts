/**
 * A JSON Web Key (RFC 7517), described structurally so that the testing entry's types do not need
 * `@types/node` (`node:crypto`'s `JsonWebKey` is the same shape).
 */
export interface Jwk {
  readonly kty?: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
  readonly [member: string]: unknown;
}
