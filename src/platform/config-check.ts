/** A setting that cannot work: the CLI prints its message alone, without a stack trace, and exits 1. */
export class ConfigError extends Error {}

/** The webhook secret a laptop runs with: public (it is in this file), so never good enough for production. */
export const DEFAULT_PAYMENT_WEBHOOK_SECRET = 'sandbox-webhook-secret-change-me';
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/**
 * What makes a configuration unsafe to run in production, as readable sentences (empty: safe).
 * Pure, so `loadConfig` refuses to start with it and tests can check it directly.
 */
export function productionConfigProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const secret = env.PAYMENT_WEBHOOK_SECRET ?? '';
  if (secret === '' || secret === DEFAULT_PAYMENT_WEBHOOK_SECRET) {
    problems.push(
      'PAYMENT_WEBHOOK_SECRET is unset or the public default: set the secret your payment provider signs webhooks with',
    );
  } else if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    problems.push(
      `PAYMENT_WEBHOOK_SECRET is ${secret.length} characters long: use at least ${MIN_PRODUCTION_SECRET_LENGTH} (random)`,
    );
  }
  return problems;
}

/** Throws one clear error listing every problem, when NODE_ENV=production and the config is unsafe. */
export function assertProductionConfig(env: NodeJS.ProcessEnv): void {
  const problems = productionConfigProblems(env);
  if (problems.length > 0) {
    throw new ConfigError(`refusing to start with NODE_ENV=production:\n  - ${problems.join('\n  - ')}`);
  }
}
