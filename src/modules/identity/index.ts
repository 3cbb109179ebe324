import { defineModule } from '../../platform/module.ts';
import { RETENTION_SCHEDULE } from '../../platform/retention.ts';
import { staffStoreOf } from '../merchants/index.ts';
import { identityRoutes } from './routes.ts';
import { IdentityService } from './service.ts';

export { type AccountByPhone, accountCreatedAt, accountsWithPhones, maskedPhones } from './account-lookup.ts';
export { maskPhone, phoneSchema } from './phone.ts';
export { IdentityService, identityRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    identity: IdentityService;
  }
}

/** Accounts, sign-in by SMS code, sessions. */
export const identityModule = defineModule({
  name: 'identity',
  build: ({ db, clock, log, config, notifications }) => ({
    identity: new IdentityService({
      db,
      clock,
      log,
      exposeSandboxSmsCode: config.exposeSandboxSmsCode,
      logSmsCodes: config.logSmsCodes,
      storeOfAccount: (accountId) => staffStoreOf(db, accountId),
      notifications,
      sessionCacheMs: config.sessionCacheMs,
    }),
  }),
  routes: async ({ identity }, { api }) => {
    await api.register(identityRoutes(identity));
  },
  tasks: ({ identity }, { config }) => [
    // Retention (README "Data retention"): each module prunes its own tables, a batch per run.
    { name: 'identity.retention', ...RETENTION_SCHEDULE, run: () => identity.pruneExpired(config.retention) },
  ],
});
