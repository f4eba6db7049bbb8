import type { AuthServer } from '../../src/testing';

/** What an SDK sends for its own token through the instance the plugin is attached to (credentials in the body). */
export function sdkTokenBody(server: Pick<AuthServer, 'clientId' | 'clientSecret'>): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: server.clientId,
    client_secret: server.clientSecret,
  }).toString();
}

/** The request config of a form body. */
export const form = { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
