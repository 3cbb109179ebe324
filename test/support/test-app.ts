import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp, type Gravity } from '../../src/app.ts';
import { trialBalance } from '../../src/modules/payments/index.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import { registerFixtureServices } from './fixtures.ts';
import { freshDatabase } from './test-db.ts';

export interface TestApp extends Gravity {
  clock: ManualClock;
  config: Config;
  db: Gravity['services'] extends unknown ? import('../../src/platform/db.ts').Db : never;
  close(): Promise<void>;
  /** Signs in through the real SMS-code flow and returns the session cookie header. */
  signIn(phone: string, role?: 'buyer' | 'merchant' | 'operator'): Promise<string>;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), ...overrides };
  const gravity = await buildApp({ config, db: database.db, clock, log: pino({ level: 'silent' }) });
  await gravity.app.ready();
  // Fixtures on this database go through this app's services and clock.
  registerFixtureServices(database.db, gravity.services);
  let phoneIp = 0;
  return {
    ...gravity,
    clock,
    config,
    db: database.db,
    close: async () => {
      // Whatever a test file did, the ledger it leaves behind must balance to the fen.
      const { totalFen } = await trialBalance(database.db);
      if (totalFen !== 0) throw new Error(`the ledger's trial balance is ${totalFen} fen, not 0`);
      await gravity.stop();
      await gravity.app.close();
      await database.close();
    },
    signIn: async (phone, role = 'buyer') => {
      phoneIp += 1;
      const remoteAddress = `10.9.${Math.floor(phoneIp / 250)}.${phoneIp % 250}`;
      const sent = await gravity.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        payload: { phone },
        remoteAddress,
      });
      if (sent.statusCode !== 200) throw new Error(`sms-code ${sent.statusCode}: ${sent.body}`);
      const code = sent.json().sandboxCode as string;
      const res = await gravity.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { phone, code, role },
        remoteAddress,
      });
      if (res.statusCode !== 200) throw new Error(`sign-in ${res.statusCode}: ${res.body}`);
      return cookieOf(res);
    },
  };
}

export function cookieOf(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  if (!first) throw new Error('no cookie set');
  return first.split(';')[0] ?? '';
}
