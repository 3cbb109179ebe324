import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { DEFAULT_PAYMENT_WEBHOOK_SECRET, productionConfigProblems } from './config-check.ts';

const strong = 'k3J9x2QmR7vT1bN8zL4wP6yH0cF5dS2a'; // 32 characters

describe('production refuses a known or short webhook secret', () => {
  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['the public default', DEFAULT_PAYMENT_WEBHOOK_SECRET],
    ['31 characters', strong.slice(0, 31)],
  ])('production with a secret that is %s: a clear error at config load', (_name, secret) => {
    const env = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: secret };
    expect(productionConfigProblems(env)).toHaveLength(1);
    expect(() => loadConfig(env)).toThrow(/NODE_ENV=production[\s\S]*PAYMENT_WEBHOOK_SECRET/);
  });

  it('starts in production with a long secret, and anywhere else with the default', () => {
    const env = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: strong };
    expect(productionConfigProblems(env)).toEqual([]);
    expect(loadConfig(env).paymentWebhookSecret).toBe(strong);
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      expect(productionConfigProblems({ NODE_ENV })).toEqual([]);
      expect(loadConfig({ NODE_ENV }).paymentWebhookSecret).toBe(DEFAULT_PAYMENT_WEBHOOK_SECRET);
    }
  });
});
