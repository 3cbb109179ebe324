import { z } from 'zod';

const fen = z.number().int();

const policyFields = {
  baseLimitFen: fen.min(0).max(100_000_000).meta({ description: 'The line of a buyer who qualifies' }),
  perCompletedOrderFen: fen.min(0).max(10_000_000).meta({ description: 'Added per finished order' }),
  maxLimitFen: fen.min(0).max(100_000_000).meta({ description: 'The line never exceeds this' }),
  minAccountAgeDays: z.number().int().min(0).max(3650),
  minCompletedOrders: z.number().int().min(0).max(1000),
  maxRefundShareBps: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .meta({ description: 'Refunded / finished orders above this share (basis points) closes the line' }),
  dueDays: z.number().int().min(0).max(365).meta({ description: 'Days after receipt a bill is charged' }),
  reminderDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .meta({ description: 'Days between reminders of an overdue bill' }),
  freezeWhenOverdue: z.boolean(),
  feeBps: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .meta({ description: "The merchant's fee on a collected bill, outside the promotion (basis points)" }),
  promotionStartsAt: z.iso.datetime().nullable().meta({ description: 'Fee-free window start (null: open)' }),
  promotionEndsAt: z.iso.datetime().nullable().meta({ description: 'Fee-free window end (null: open)' }),
};

/** PUT body: the whole policy. */
export const creditPolicyInput = z
  .object(policyFields)
  .strict()
  .refine(
    (p) =>
      !p.promotionStartsAt ||
      !p.promotionEndsAt ||
      Date.parse(p.promotionStartsAt) < Date.parse(p.promotionEndsAt),
    { message: 'The promotion must end after it starts', path: ['promotionEndsAt'] },
  );

export const creditPolicyView = z
  .object({
    ...policyFields,
    updatedAt: z.iso.datetime(),
    promotionActive: z.boolean().meta({ description: 'Whether pay later is fee-free for merchants now' }),
  })
  .meta({ id: 'CreditPolicy' });
export const creditPolicyAnswer = z.object({ policy: creditPolicyView });

export const creditLineView = z
  .object({
    limitFen: fen,
    usedFen: fen.meta({ description: 'What open, charging and overdue bills still owe' }),
    availableFen: fen.meta({ description: 'What a pay-later checkout may total now (0 when frozen)' }),
    frozen: z.boolean().meta({ description: 'An overdue bill freezes the line until it is paid' }),
    reason: z
      .enum(['account_too_new', 'too_few_orders', 'too_many_refunds'])
      .nullable()
      .meta({ description: 'Why there is no line (null when there is one)' }),
    accountAgeDays: z.number().int(),
    finishedOrders: z.number().int(),
    refundedOrders: z.number().int(),
    dueDays: z.number().int(),
  })
  .meta({ id: 'CreditLine' });
export const creditLineAnswer = z.object({ line: creditLineView });

export const billView = z
  .object({
    id: z.guid(),
    checkoutId: z.guid(),
    orderId: z.guid(),
    storeId: z.guid(),
    originalFen: fen.meta({ description: 'The order total when it was paid later' }),
    amountFen: fen.meta({ description: 'What is owed: the total less refunds (0 closes the bill)' }),
    status: z.enum(['open', 'charging', 'paid', 'overdue', 'closed']),
    dueAt: z.iso.datetime().nullable().meta({ description: 'Set when receipt is confirmed' }),
    daysOverdue: z.number().int(),
    chargedFen: fen,
    chargeAttempts: z.number().int(),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CreditBill' });
export type BillView = z.infer<typeof billView>;

export const reminderView = z
  .object({
    id: z.number().int(),
    billId: z.guid(),
    amountFen: fen,
    daysOverdue: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CreditReminder' });

export const myBillsAnswer = z.object({
  items: z.array(billView).meta({ description: 'Newest first, at most 200' }),
  reminders: z
    .array(reminderView)
    .meta({ description: 'Reminders of overdue bills, newest first, at most 50' }),
});

export const payLaterAnswer = z.object({
  checkoutId: z.guid(),
  bills: z.array(billView),
  line: creditLineView,
});

export const storeCreditSettings = z
  .object({
    payLaterEnabled: z.boolean(),
    feeBps: z
      .number()
      .int()
      .meta({ description: 'The fee a pay-later order placed now carries (0 in the promotion)' }),
    promotionActive: z.boolean(),
    promotionEndsAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'StoreCreditSettings' });
export const storeCreditSettingsAnswer = z.object({ settings: storeCreditSettings });

export const overdueDebtView = z
  .object({
    billId: z.guid(),
    orderId: z.guid(),
    storeId: z.guid(),
    buyerId: z.guid(),
    buyerPhone: z.string().meta({ description: "The buyer's phone, masked" }),
    amountFen: fen,
    dueAt: z.iso.datetime(),
    daysOverdue: z.number().int(),
    chargeAttempts: z.number().int(),
    reminders: z.number().int(),
  })
  .meta({ id: 'OverdueDebt' });
export const overdueDebtPage = z.object({
  items: z.array(overdueDebtView),
  total: z.number().int(),
  totalFen: fen.meta({ description: 'All overdue debt, over every page' }),
  page: z.number().int(),
  pageSize: z.number().int(),
});
