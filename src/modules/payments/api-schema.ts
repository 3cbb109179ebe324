import { z } from 'zod';
import { LEDGER_KINDS } from './ledger.ts';

/** What the payments routes answer. The service's types derive from these, so nothing is dropped unseen. */

const isoTime = z.iso.datetime();
const fen = z.number().int();

export const paymentAnswer = z.object({
  payment: z.object({
    id: z.guid(),
    status: z.enum(['created', 'authorized', 'captured', 'failed']),
  }),
});
export type PaymentAnswer = z.infer<typeof paymentAnswer>;

/** A ledger account and what it is, so a client names it in its own language. */
const accountNamed = {
  account: z
    .string()
    .meta({ description: 'The ledger account id (`order_escrow`, `merchant_payable:<store>` …)' }),
  type: z.enum([
    'provider_clearing',
    'order_escrow',
    'platform_revenue',
    'merchant_payable',
    'credit_receivable',
    'platform_expense',
    'other',
  ]),
  storeId: z.guid().nullable().meta({ description: "For a store's payable account: the store" }),
  storeName: z.string().nullable(),
};

export const trialBalanceView = z.object({
  totalFen: fen.meta({ description: 'The sum of every balance: 0 when the books balance' }),
  accounts: z.array(z.object({ ...accountNamed, balanceFen: fen })),
});
export type TrialBalanceView = z.infer<typeof trialBalanceView>;

export const ledgerTransactionPage = z.object({
  items: z.array(
    z.object({
      id: z.guid(),
      kind: z.enum(LEDGER_KINDS),
      reference: z.string().meta({ description: 'What it records: an order, payment or refund id' }),
      createdAt: isoTime,
      entries: z.array(z.object({ ...accountNamed, amountFen: fen })),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type LedgerTransactionPage = z.infer<typeof ledgerTransactionPage>;

const sideView = z.object({ status: z.string(), amountFen: fen, currency: z.string().optional() });

export const differenceView = z.object({
  kind: z.enum([
    'missing_at_provider',
    'missing_in_platform',
    'amount_differs',
    'currency_differs',
    'status_differs',
    'ledger_balance',
  ]),
  subject: z.enum(['payment', 'refund', 'payout', 'ledger']),
  reference: z.string().meta({ description: 'Our payment or refund id, or the ledger account' }),
  providerRef: z.string().nullable(),
  platform: sideView.nullable(),
  provider: sideView.nullable(),
});

export const reconciliationRunView = z.object({
  id: z.guid(),
  startedAt: isoTime,
  finishedAt: isoTime,
  trigger: z.enum(['schedule', 'cli', 'ops']),
  paymentsChecked: z.number().int(),
  refundsChecked: z.number().int(),
  providerCharges: z.number().int(),
  providerRefunds: z.number().int(),
  inFlight: z.number().int(),
  ledgerProviderFen: fen,
  providerNetFen: fen,
  differenceCount: z.number().int(),
  differences: z.array(differenceView).meta({ description: 'The first 500 differences' }),
});

export const reconciliationAnswer = z.object({
  run: reconciliationRunView.nullable().meta({ description: 'The last run; null before the first' }),
});
export type ReconciliationAnswer = z.infer<typeof reconciliationAnswer>;

export const anomalyKind = z.enum([
  'amount_mismatch',
  'currency_mismatch',
  'provider_ref_mismatch',
  'unknown_payment',
  'unknown_refund',
]);

export const anomalyView = z.object({
  id: z.number().int(),
  eventId: z.string(),
  eventType: z.string(),
  kind: anomalyKind,
  paymentId: z.guid().nullable(),
  refundId: z.guid().nullable(),
  expectedAmountFen: fen.nullable(),
  receivedAmountFen: fen,
  expectedCurrency: z.string().nullable(),
  receivedCurrency: z.string(),
  receivedAt: isoTime,
});
export type AnomalyView = z.infer<typeof anomalyView>;

export const anomalyPage = z.object({
  items: z.array(anomalyView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AnomalyPage = z.infer<typeof anomalyPage>;

export const merchantBalance = z.object({
  payableFen: fen.meta({ description: 'Settled: what the platform owes the store' }),
  pendingFen: fen.meta({ description: "In escrow: the store's paid orders not yet completed" }),
});
export type MerchantBalance = z.infer<typeof merchantBalance>;

export const webhookAnswer = z.object({
  received: z.literal(true),
  duplicate: z.boolean().meta({ description: 'The event was received before; nothing changed' }),
  applied: z
    .literal(false)
    .optional()
    .meta({ description: 'Present when the event was recorded, not applied' }),
  anomaly: anomalyKind.optional().meta({ description: 'Why it was not applied' }),
});
export type WebhookAnswer = z.infer<typeof webhookAnswer>;
