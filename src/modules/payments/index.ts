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
export type { PaymentOrders } from './ports.ts';
export { type PaymentProvider, type ProviderEvent, SIGNATURE_HEADER, signWebhook } from './provider.ts';
export {
  type ReconciliationRun,
  reconciliationReport,
} from './reconciliation.ts';
export { paymentsRoutes } from './routes.ts';
export { httpWebhookDelivery, SandboxPaymentProvider, type WebhookDelivery } from './sandbox-provider.ts';
export { PaymentsService } from './service.ts';
export { paymentTasks } from './tasks.ts';
