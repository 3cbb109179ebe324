import path from 'node:path';

/** Runtime configuration, read from environment variables with defaults that work on a laptop. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A real PostgreSQL server; undefined means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Minutes an unpaid order holds its stock before it expires. */
  unpaidOrderTtlMinutes: number;
  /** Seconds after shipping when the sandbox carrier reports the parcel delivered. */
  sandboxDeliverySeconds: number;
  /** Secret shared with the (sandbox) payment provider to sign webhooks. */
  paymentWebhookSecret: string;
  /** Sandbox payment provider behaviour. */
  sandboxPayment: {
    failRate: number;
    delayMs: number;
    replayRate: number;
    /** The sandbox's source of randomness (tests make it deterministic); Math.random when absent. */
    random?: () => number;
  };
  /** Platform commission on completed orders, in basis points. */
  commissionBps: number;
  logLevel: string;
  seed: number;
  /** When true, the sandbox SMS code is also returned in the API response (demo/dev only). */
  exposeSandboxSmsCode: boolean;
  /** Public base URL the sandbox payment provider posts webhooks to. */
  publicUrl: string;
}

function num(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${key} must be a number, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = num(env, 'PORT', 3000);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    unpaidOrderTtlMinutes: num(env, 'UNPAID_ORDER_TTL_MINUTES', 15),
    sandboxDeliverySeconds: num(env, 'SANDBOX_DELIVERY_SECONDS', 60),
    paymentWebhookSecret: env.PAYMENT_WEBHOOK_SECRET ?? 'sandbox-webhook-secret-change-me',
    sandboxPayment: {
      failRate: num(env, 'SANDBOX_PAY_FAIL_RATE', 0),
      delayMs: num(env, 'SANDBOX_PAY_DELAY_MS', 300),
      replayRate: num(env, 'SANDBOX_PAY_REPLAY_RATE', 0),
    },
    commissionBps: num(env, 'COMMISSION_BPS', 500),
    logLevel: env.LOG_LEVEL ?? 'info',
    seed: num(env, 'SEED', 42),
    exposeSandboxSmsCode: (env.NODE_ENV ?? 'development') !== 'production',
    publicUrl: env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
  };
}
