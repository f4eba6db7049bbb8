/**
 * `axios-oauth2-bearer/token-exchange`: OAuth 2.0 token exchange (RFC 8693) as a value given to
 * `attachOAuth2`'s `grant` option: each request is sent with a token exchanged for its own subject.
 * Users who do not import it never load it.
 */
export { tokenExchange, type TokenExchangeOptions, type ActorToken, type SubjectTokenValue } from './token-exchange';
export { TOKEN_EXCHANGE_GRANT, TOKEN_TYPES } from './token-types';
export type { SubjectGrant, BoundSubjectGrant, Subject, ResponseProblem } from '../../contracts/grant';
