import { defineModule } from '../../platform/module.ts';
import { RETENTION_SCHEDULE } from '../../platform/retention.ts';
import { paymentsRoutes } from './routes.ts';
import { httpWebhookDelivery, SandboxPaymentProvider } from './sandbox-provider.ts';
import { PaymentsService } from './service.ts';
import { paymentTasks } from './tasks.ts';

export { type BillChargeStatus, billChargeStatuses, checkoutHasLivePayment } from './credit-charges.ts';
export { advanceCredit, chargePayLaterFee, collectCredit } from './credit-ops.ts';
export {
  ACCOUNTS,
  accountBalance,
  type LedgerEntry,
  type LedgerKind,
  paymentEntries,
  postTransaction,
  refundEntries,
  settlementEntries,
  trialBalance,
} from './ledger.ts';
export { OrderPaymentsPort } from './order-port.ts';
export type { PaymentOrders } from './ports.ts';
export { type PaymentProvider, type ProviderEvent, SIGNATURE_HEADER, signWebhook } from './provider.ts';
export {
  type ReconciliationRun,
  reconciliationReport,
} from './reconciliation.ts';
export type { WebhookDelivery } from './sandbox-provider.ts';
export { httpWebhookDelivery, PaymentsService, paymentsRoutes, paymentTasks, SandboxPaymentProvider };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    payments: PaymentsService;
    sandboxPayments: SandboxPaymentProvider;
  }
}

/** Payments at the (sandbox) provider, refunds, the ledger, reconciliation. */
export const paymentsModule = defineModule({
  name: 'payments',
  build: (ctx) => {
    const { db, clock, log, config, events } = ctx;
    const sandboxPayments = new SandboxPaymentProvider({
      db,
      clock,
      log,
      secret: config.paymentWebhookSecret,
      ...config.sandboxPayment,
    });
    // The sandbox provider posts its webhooks over HTTP when serving; tests deliver them in-process.
    sandboxPayments.setDelivery(
      ctx.startWorkers
        ? httpWebhookDelivery(`${config.publicUrl}/api/v1/payments/webhook`)
        : async (payload, headers) =>
            (await ctx.http().inject({ method: 'POST', url: '/api/v1/payments/webhook', payload, headers }))
              .statusCode,
    );
    const payments = new PaymentsService({
      db,
      clock,
      log,
      commissionBps: config.commissionBps,
      provider: sandboxPayments,
      orders: ctx.use('orders'),
      events,
    });
    return { payments, sandboxPayments };
  },
  routes: async ({ payments }, { api }) => {
    await api.register(paymentsRoutes(payments));
  },
  tasks: ({ payments, sandboxPayments }, { config }) => [
    ...paymentTasks(payments, sandboxPayments),
    {
      name: 'payments.retention',
      ...RETENTION_SCHEDULE,
      run: () => payments.pruneWebhookEvents(config.retention),
    },
  ],
  subscribers: ({ payments }) => payments.subscribers(),
});
