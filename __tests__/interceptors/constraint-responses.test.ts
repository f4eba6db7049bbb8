/**
 * `notingResponses` (src/interceptors/constraint-responses.ts): every response is shown to the
 * constraint's session (a DPoP server may rotate its nonce on any answer) before the handler runs.
 */
import type { AxiosResponse } from 'axios';
import type { BoundSenderConstraint } from '../../src/contracts/sender-constraint';
import { notingResponses } from '../../src/interceptors/constraint-responses';

function constraintWith(session: unknown): BoundSenderConstraint {
  return { session } as unknown as BoundSenderConstraint;
}

test('the session sees the response’s config and headers, then the handler runs and its value is returned', () => {
  const order: string[] = [];
  const noteResponse = jest.fn(() => order.push('noted'));
  const handler = jest.fn((r: AxiosResponse) => (order.push('handled'), r.status));
  const response = { status: 200, config: { url: '/x' }, headers: { 'dpop-nonce': 'n-1' } } as unknown as AxiosResponse;
  expect(notingResponses(handler, constraintWith({ noteResponse }))(response)).toBe(200);
  expect(noteResponse.mock.calls).toEqual([[response.config, response.headers]]);
  expect(order).toEqual(['noted', 'handled']);
});

test('a response without a config is noted with an empty one', () => {
  const noteResponse = jest.fn();
  const response = { status: 200, headers: {} } as unknown as AxiosResponse;
  notingResponses(() => 'ok', constraintWith({ noteResponse }))(response);
  expect(noteResponse.mock.calls).toEqual([[{}, {}]]);
});

test('before the session is loaded, responses pass straight to the handler', () => {
  const response = { status: 204, config: {}, headers: {} } as unknown as AxiosResponse;
  expect(notingResponses((r) => r.status, constraintWith(undefined))(response)).toBe(204);
});
