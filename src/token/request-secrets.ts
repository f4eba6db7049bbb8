import type { ResolvedOptions } from '../options/validate-options';
import { Secrets } from '../security/secrets';
import type { GrantParams } from './token-request';

/**
 * What a request to the authorization server for `grant` carries before this attempt adds anything:
 * the secrets the client-authentication method holds (a client secret and its Basic credentials, both
 * encodings), the password, the refresh token. The attempt then adds what it makes (assertions, a
 * custom grant's parameters, DPoP proofs).
 */
export function requestSecrets(
  options: Pick<ResolvedOptions, 'clientAuthentication'> & Partial<Pick<ResolvedOptions, 'subjectBinding'>>,
  grant?: GrantParams,
): Secrets {
  const secrets = new Secrets().add(...options.clientAuthentication.secrets);
  // Token exchange: the subject token (and a fixed actor token) of this entry, scrubbed before anything is sent.
  if (options.subjectBinding) secrets.add(...options.subjectBinding.secrets);
  if (grant && 'password' in grant) secrets.add(grant.password);
  if (grant && 'refresh_token' in grant) secrets.add(grant.refresh_token);
  return secrets;
}
