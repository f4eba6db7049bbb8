import { OAuth2OptionsError } from '../errors';
import type { BoundSenderConstraint, ConstraintAttachment, SenderConstraint } from '../contracts/sender-constraint';
import { describe } from '../util/describe';

/** Whether `value` has the shape of a {@link SenderConstraint} (what `dpop()` returns). */
function isConstraint(value: unknown): value is SenderConstraint {
  const c = value as Partial<SenderConstraint> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.bind === 'function' &&
    typeof c.scheme === 'string' &&
    Array.isArray(c.tokenTypes) &&
    Array.isArray(c.cacheKeyPart)
  );
}

/**
 * The `senderConstraint` option, checked at attach time and bound to the attachment: undefined
 * (none) or a constraint value (`dpop()` from `axios-oauth2-bearer/dpop`), which may refuse the
 * attachment (its `check`). The former `dpop: true` / `{ privateKey }` shapes are refused with a hint.
 */
export function resolveSenderConstraint(
  value: unknown,
  attachment: ConstraintAttachment,
): BoundSenderConstraint | undefined {
  if (value === undefined) return undefined;
  if (!isConstraint(value)) {
    throw new OAuth2OptionsError(
      'senderConstraint',
      'axios-oauth2-bearer: option "senderConstraint" must be a sender constraint such as dpop() from ' +
        `'axios-oauth2-bearer/dpop', got ${describe(value, false)}`,
    );
  }
  value.check?.(attachment);
  return value.bind(attachment);
}

/** With a sender constraint, the accepted token types must include one of its own (the default is its own). */
export function constrainedTokenTypes(
  given: ReadonlySet<string> | undefined,
  constraint: SenderConstraint,
): ReadonlySet<string> {
  if (given === undefined) return new Set(constraint.tokenTypes);
  if (!constraint.tokenTypes.some((type) => given.has(type))) {
    throw new OAuth2OptionsError(
      'acceptTokenTypes',
      `axios-oauth2-bearer: option "acceptTokenTypes" must include "${constraint.scheme}" when "senderConstraint" is ${constraint.name}`,
    );
  }
  return given;
}
