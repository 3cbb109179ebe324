import { expect } from 'vitest';
import type { Gravity } from '../../src/app.ts';
import { apiOf, idempotent } from './api.ts';
import type { TestApp } from './test-app.ts';

/**
 * Lets the sandbox provider and the event bus run until nothing is left to do: webhooks delivered,
 * captures and refunds sent, every subscriber's events delivered. What `gravity start`'s workers do on timers, done synchronously.
 */
export async function settlePayments(g: Pick<Gravity, 'services' | 'events'>, maxRounds = 50): Promise<void> {
  for (let round = 0; round < maxRounds; round += 1) {
    const delivered = await g.services.sandboxPayments.deliverDue();
    const ran = await g.events.runOnce();
    if (delivered === 0 && ran === 0) return;
  }
  throw new Error('payments did not settle');
}

/**
 * Places a checkout (201) and, unless `pay: false`, pays it through the sandbox (202) and settles.
 * `key` is the checkout's idempotency key, `${key}-pay` the payment's. Returns the checkout as placed.
 */
export async function placeAndPay(
  t: TestApp,
  buyer: string,
  body: object,
  key: string,
  options: { pay?: boolean } = {},
) {
  const api = apiOf(t);
  const placed = await api('POST', '/checkouts', buyer, body, idempotent(key));
  expect(placed.statusCode, placed.body).toBe(201);
  const checkout = placed.json().checkout;
  if (options.pay !== false) {
    const pay = await api(
      'POST',
      `/checkouts/${checkout.id}/pay`,
      buyer,
      undefined,
      idempotent(`${key}-pay`),
    );
    expect(pay.statusCode, pay.body).toBe(202);
    await settlePayments(t);
  }
  return checkout;
}

/** Posts a provider webhook (its raw JSON body) signed as the sandbox provider signs its own. */
export function postSignedWebhook(t: Pick<TestApp, 'app' | 'services'>, body: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/payments/webhook',
    payload: body,
    headers: t.services.sandboxPayments.sign(body),
  });
}
