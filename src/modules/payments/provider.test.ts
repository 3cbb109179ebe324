import { describe, expect, it } from 'vitest';
import { signWebhook, verifySignedEvent } from './provider.ts';

const secret = 'test-secret';
const event = {
  id: 'evt_1',
  type: 'payment.captured',
  data: {
    paymentId: '6f1c2a3e-1b2c-4d5e-8f90-123456789abc',
    providerRef: 'ch_1',
    amountFen: 100,
    currency: 'CNY',
  },
};

describe('webhook signatures', () => {
  const now = new Date('2026-03-01T08:00:00Z');
  const body = JSON.stringify(event);

  it('accepts what was signed with the secret, recently', () => {
    expect(verifySignedEvent(secret, body, signWebhook(secret, body, now), now)).toEqual(event);
  });

  it.each([
    ['no header', undefined],
    ['wrong secret', signWebhook('other', body, now)],
    ['garbage', 'v1=zz'],
    ['old', signWebhook(secret, body, new Date(now.getTime() - 301_000))],
  ])('refuses %s with 401', (_name, header) => {
    expect(() => verifySignedEvent(secret, body, header, now)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
  });

  it('refuses a body changed after signing', () => {
    const header = signWebhook(secret, body, now);
    const tampered = body.replace('"amountFen":100', '"amountFen":1');
    expect(() => verifySignedEvent(secret, tampered, header, now)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
  });

  it('answers 400 for a well-signed event it does not understand', () => {
    const odd = JSON.stringify({ id: 'evt_2', type: 'payment.exploded', data: {} });
    expect(() => verifySignedEvent(secret, odd, signWebhook(secret, odd, now), now)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    // An amount without its currency cannot be checked against the payment.
    const { currency: _, ...noCurrency } = event.data;
    const bare = JSON.stringify({ ...event, data: noCurrency });
    expect(() => verifySignedEvent(secret, bare, signWebhook(secret, bare, now), now)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
