import { defineModule } from '../../platform/module.ts';
import { RETENTION_SCHEDULE } from '../../platform/retention.ts';
import { HttpPaymentProvider } from './http-provider.ts';
import { LedgerOperations } from './ledger-operations.ts';
import { paymentsRoutes } from './routes.ts';
import { httpWebhookDelivery, SandboxPaymentProvider } from './sandbox-provider.ts';
import { PaymentsService } from './service.ts';
import { paymentTasks } from './tasks.ts';

export {
  type BillChargeStatus,
  billChargeStatuses,
  checkoutHasLivePayment,
  creditRefundedFen,
} from './credit-charges.ts';
export { chargePayLaterFee } from './credit-ops.ts';
export { bookedByReference, platformExpenses } from './guarantee-costs.ts';
export { ACCOUNTS, accountBalance, LEDGER_KINDS, type LedgerKind, trialBalance } from './ledger.ts';
export {
  type CompensationInput,
  type ExpenseShare,
  type Funder,
  LedgerOperations,
  type RefundWritten,
} from './ledger-operations.ts';
export { OrderPaymentsPort } from './order-port.ts';
export type { PaymentOrders } from './ports.ts';
export { type PaymentProvider, type ProviderEvent, SIGNATURE_HEADER, signWebhook } from './provider.ts';
export {
  type ReconciliationRun,
  reconciliationReport,
} from './reconciliation.ts';
export { type BatchRefundMoney, refundLineMoneyBatch } from './refund-batch.ts';
export type { WebhookDelivery } from './sandbox-provider.ts';
export { sandboxProviderServer } from './sandbox-server.ts';
export {
  HttpPaymentProvider,
  httpWebhookDelivery,
  PaymentsService,
  paymentsRoutes,
  paymentTasks,
  SandboxPaymentProvider,
};

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    payments: PaymentsService;
    sandboxPayments: SandboxPaymentProvider;
    /**
     * The ledger's named operations (compensateBuyer, advanceCredit, collectCredit, refundCredit, …),
     * each `(trx, …)` and idempotent by a reference: `ctx.use('ledger')`.
     */
    ledger: LedgerOperations;
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
      ctx.served
        ? httpWebhookDelivery(`${config.publicUrl}/api/v1/payments/webhook`)
        : async (payload, headers) =>
            (await ctx.http().inject({ method: 'POST', url: '/api/v1/payments/webhook', payload, headers }))
              .statusCode,
    );
    const payments = new PaymentsService({
      db,
      clock,
      log,
      // PAYMENT_PROVIDER_URL: the provider is its own process (`gravity sandbox-provider`), called over HTTP.
      provider: config.paymentProviderUrl
        ? new HttpPaymentProvider({
            baseUrl: config.paymentProviderUrl,
            secret: config.paymentWebhookSecret,
            clock,
          })
        : sandboxPayments,
      orders: ctx.use('orders'),
      events,
    });
    return { payments, sandboxPayments, ledger: new LedgerOperations({ clock, events }) };
  },
  routes: async ({ payments }, { api }) => {
    await api.register(paymentsRoutes(payments));
  },
  tasks: ({ payments, sandboxPayments }, { config }) => [
    // With an external provider its own process delivers the webhooks.
    ...paymentTasks(payments, config.paymentProviderUrl ? null : sandboxPayments),
    {
      name: 'payments.retention',
      ...RETENTION_SCHEDULE,
      run: () => payments.pruneWebhookEvents(config.retention),
    },
  ],
  subscribers: ({ payments }) => payments.subscribers(),
});
