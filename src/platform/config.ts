import path from 'node:path';
import { assertProductionConfig, ConfigError, DEFAULT_PAYMENT_WEBHOOK_SECRET } from './config-check.ts';
import type { PlanCacheMode } from './db.ts';

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
  /**
   * Proxies whose X-Forwarded-Proto/-For/-Host are believed (Fastify's `trustProxy`): false (none,
   * the default), true (every hop), or a comma-separated list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | string;
  /** Whether sandbox SMS codes are written to the log: only in development and tests. */
  logSmsCodes: boolean;
  /** Size recommendations allowed per minute: per client address when anonymous, per account when signed in. */
  sizeRecommendLimit: { anonymousPerMinute: number; accountPerMinute: number };
  /**
   * FEED_ANON_PAGES_PER_MINUTE: anonymous feed pages allowed per minute, per client address and per
   * anonymous viewer (each page's cards count as impressions when served); 0 = no limit.
   */
  feedAnonPagesPerMinute: number;
  /** How long finished or expired rows are kept (README "Data retention"), and the delete batch size. */
  retention: RetentionConfig;
  /** Attempts after which a failing outbox job moves to the dead-letter table. */
  outboxMaxAttempts: number;
  /**
   * PAYMENT_PROVIDER_URL: the payment provider's HTTP API (`gravity sandbox-provider`); unset = the
   * sandbox provider runs inside the platform's own processes.
   */
  paymentProviderUrl: string | undefined;
  /** SANDBOX_PROVIDER_PORT: where `gravity sandbox-provider` serves its API (default 3100). */
  sandboxProviderPort: number;
  /** WORKER_PORT: `gravity worker` serves GET /health there when set (no other HTTP). */
  workerPort: number | undefined;
  /** DATABASE_POOL_SIZE: connections this process keeps to a PostgreSQL server (default 20). */
  databasePoolSize: number;
  /** DATABASE_PLAN_CACHE_MODE: PostgreSQL's plan_cache_mode for them (db.ts says why the default). */
  databasePlanCacheMode: PlanCacheMode;
  /** Milliseconds a resolved session is served from this process's memory (SESSION_CACHE_MS); 0: never. */
  sessionCacheMs: number;
  /** NATS_URL: the NATS server live rooms fan out through between processes; unset = this process only. */
  natsUrl: string | undefined;
  /** Uploaded videos, posters and live recordings, and the live ingest (docs/LIVE.md). */
  media: MediaConfig;
}

export interface MediaConfig {
  /** MEDIA_DIR: where uploads, posters and recordings are kept (default `<DATA_DIR>/media`). */
  dir: string;
  /** VIDEO_MAX_UPLOAD_MB: the largest video a merchant may upload (default 200). */
  maxUploadMb: number;
  /** RTMP_PORT: the embedded RTMP ingest's port (default 1935; 0 = no embedded ingest). */
  rtmpPort: number;
  /** LIVE_MEDIA_HTTP_PORT: the embedded media server's HTTP-FLV port, on 127.0.0.1 (default 8000). */
  mediaHttpPort: number;
  /** LIVE_INGEST_URL: an external RTMP service's ingest base URL instead of the embedded one. */
  externalIngestUrl: string | undefined;
  /** LIVE_PLAY_URL: that service's playback base URL (HTTP-FLV or HLS). */
  externalPlayUrl: string | undefined;
}

export interface RetentionConfig {
  /** Sessions, counted from their expiry. */
  expiredSessionDays: number;
  smsCodeDays: number;
  idempotencyKeyDays: number;
  webhookEventDays: number;
  /** Outbox jobs, counted from when they were done. */
  doneOutboxDays: number;
  /** Feed impressions and their clicks/add-to-carts (the per-day rollups and item stats stay). */
  feedImpressionDays: number;
  /** Rows deleted per statement, so no prune holds locks for long. */
  batchSize: number;
}

/** TRUST_PROXY: unset, `false` or `0` = no proxy; `true` = any; else proxy addresses/CIDRs. */
function trustProxyOf(raw: string | undefined): boolean | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  // Fastify trusts nobody given a hop count; say so rather than silently ignore the proxy.
  if (/^\d+$/.test(value))
    throw new ConfigError(`TRUST_PROXY takes true or proxy addresses, not a hop count ("${value}")`);
  return value;
}

const PLAN_CACHE_MODES: readonly PlanCacheMode[] = ['auto', 'force_generic_plan', 'force_custom_plan'];

function planCacheModeOf(raw: string | undefined): PlanCacheMode {
  if (raw === undefined || raw === '') return 'force_generic_plan';
  if (!PLAN_CACHE_MODES.includes(raw as PlanCacheMode))
    throw new ConfigError(
      `DATABASE_PLAN_CACHE_MODE must be one of ${PLAN_CACHE_MODES.join(', ')}, got "${raw}"`,
    );
  return raw as PlanCacheMode;
}

function num(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigError(`${key} must be a number, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  assertProductionConfig(env); // no production start with a known or short webhook secret
  const port = num(env, 'PORT', 3000);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    unpaidOrderTtlMinutes: num(env, 'UNPAID_ORDER_TTL_MINUTES', 15),
    sandboxDeliverySeconds: num(env, 'SANDBOX_DELIVERY_SECONDS', 60),
    paymentWebhookSecret: env.PAYMENT_WEBHOOK_SECRET ?? DEFAULT_PAYMENT_WEBHOOK_SECRET,
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
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    logSmsCodes: ['development', 'test'].includes(env.NODE_ENV ?? 'development'),
    feedAnonPagesPerMinute: num(env, 'FEED_ANON_PAGES_PER_MINUTE', 120),
    sizeRecommendLimit: {
      anonymousPerMinute: num(env, 'SIZE_RECOMMEND_ANON_PER_MINUTE', 60),
      accountPerMinute: num(env, 'SIZE_RECOMMEND_ACCOUNT_PER_MINUTE', 120),
    },
    retention: {
      expiredSessionDays: num(env, 'RETENTION_EXPIRED_SESSION_DAYS', 30),
      smsCodeDays: num(env, 'RETENTION_SMS_CODE_DAYS', 1),
      idempotencyKeyDays: num(env, 'RETENTION_IDEMPOTENCY_KEY_DAYS', 7),
      webhookEventDays: num(env, 'RETENTION_WEBHOOK_EVENT_DAYS', 30),
      doneOutboxDays: num(env, 'RETENTION_DONE_OUTBOX_DAYS', 7),
      feedImpressionDays: num(env, 'RETENTION_FEED_IMPRESSION_DAYS', 90),
      batchSize: num(env, 'RETENTION_BATCH_SIZE', 1000),
    },
    outboxMaxAttempts: num(env, 'OUTBOX_MAX_ATTEMPTS', 20),
    paymentProviderUrl: env.PAYMENT_PROVIDER_URL?.replace(/\/+$/, '') || undefined,
    sandboxProviderPort: num(env, 'SANDBOX_PROVIDER_PORT', 3100),
    workerPort: env.WORKER_PORT ? num(env, 'WORKER_PORT', 0) : undefined,
    sessionCacheMs: num(env, 'SESSION_CACHE_MS', 5000),
    databasePoolSize: num(env, 'DATABASE_POOL_SIZE', 20),
    databasePlanCacheMode: planCacheModeOf(env.DATABASE_PLAN_CACHE_MODE),
    natsUrl: env.NATS_URL || undefined,
    media: {
      dir: path.resolve(env.MEDIA_DIR ?? path.join(env.DATA_DIR ?? './data', 'media')),
      maxUploadMb: num(env, 'VIDEO_MAX_UPLOAD_MB', 200),
      rtmpPort: num(env, 'RTMP_PORT', 1935),
      mediaHttpPort: num(env, 'LIVE_MEDIA_HTTP_PORT', 8000),
      externalIngestUrl: env.LIVE_INGEST_URL?.replace(/\/+$/, '') || undefined,
      externalPlayUrl: env.LIVE_PLAY_URL?.replace(/\/+$/, '') || undefined,
    },
  };
}
