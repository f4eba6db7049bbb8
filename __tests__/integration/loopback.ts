/**
 * Helpers of the loopback integration tests: the plugin on a real axios instance (default http
 * adapter) against the embedded auth server, with no mocks anywhere.
 */
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';
import type { AuthServer } from '../../src/testing';

export interface LoopbackClient {
  api: AxiosInstance;
  auth: OAuth2Handle;
}

/** A fresh instance on the server's Mangopay API base URL, with the plugin attached. */
export function mangopayClient(
  server: AuthServer,
  overrides: Partial<OAuth2Options> = {},
  defaults: CreateAxiosDefaults = {},
): LoopbackClient {
  const api = axios.create({ baseURL: server.apiBaseUrl, ...defaults });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    ...overrides,
  });
  return { api, auth };
}

/** Settles every promise; returns the values and the errors apart. */
export async function settle<T>(promises: Promise<T>[]): Promise<{ values: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    values: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, got a response');
    },
    (error: unknown) => error,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
