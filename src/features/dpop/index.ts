/**
 * `axios-oauth2-bearer/dpop`: sender-constrained tokens with DPoP (RFC 9449), as a value given to
 * `attachOAuth2`'s `senderConstraint` option. Users who do not import it never load it.
 */
export { dpop, type DPoPOptions, type DPoPConstraint } from './dpop';
export type { DPoPAlgorithm, DPoPPublicJwk } from './dpop-key';
export { DPoPNonceError } from '../../errors';
export type {
  SenderConstraint,
  BoundSenderConstraint,
  ConstraintSession,
  ConstraintAttachment,
  ConstrainedRequest,
  ConstrainedHeaders,
  ConstraintTokenFailure,
} from '../../contracts/sender-constraint';
