import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';
import { VILLAGE_STEPS } from './village.ts';

const stepKey = z.enum(VILLAGE_STEPS.map((s) => s.key) as [string, ...string[]]);

export const villageSchema = z.object({
  steps: z.array(
    z.object({
      key: stepKey,
      required: z.boolean().describe('Counted in the progress (the size chart only for apparel stores)'),
      done: z.boolean(),
      doneAt: z.iso.datetime().nullable(),
      reward: z.object({
        kind: z
          .enum(['traffic', 'fee_free', 'none'])
          .describe(
            'traffic: launch-plan impressions; fee_free: days of commission rebate; none: nothing granted',
          ),
        amount: z.number().int().nonnegative(),
        granted: z.boolean(),
      }),
    }),
  ),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

const programmeKind = z.enum(['first_sale_gmv', 'commission_rebate']);

export const incentiveSchema = z.object({
  programmeId: z.uuid(),
  programmeName: z.string(),
  kind: programmeKind,
  storeId: z.uuid(),
  storeName: z.string().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  status: z.enum(['accruing', 'paid', 'exhausted', 'nothing']),
  rateBps: z.number().int(),
  capFen: z.number().int(),
  gmvFen: z.number().int().describe('GMV of the paid orders in the period'),
  refundsFen: z.number().int().describe('What went back to buyers on those orders'),
  earnedFen: z.number().int().describe('rate × (GMV − refunds), capped'),
  paidFen: z.number().int().describe('What the ledger paid (less than earned only when the budget ran out)'),
  settledAt: z.iso.datetime().nullable(),
});
export const incentivesSchema = z.object({ items: z.array(incentiveSchema) });

const fen = z.number().int().positive().max(100_000_000_000);
export const programmeInputSchema = z
  .object({
    name: singleLineText({ min: 1, max: 60 }),
    kind: programmeKind,
    eligibleStoreDays: z.number().int().min(1).max(3650),
    periodDays: z.number().int().min(1).max(365),
    rateBps: z.number().int().min(1).max(10_000),
    capFen: fen,
    budgetFen: fen,
  })
  .strict();
export const programmePatchSchema = programmeInputSchema
  .omit({ kind: true })
  .partial()
  .extend({ status: z.enum(['active', 'paused', 'ended']).optional() })
  .strict();

export const programmeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: programmeKind,
  eligibleStoreDays: z.number().int(),
  periodDays: z.number().int(),
  rateBps: z.number().int(),
  capFen: z.number().int(),
  budgetFen: z.number().int(),
  remainingFen: z.number().int(),
  status: z.enum(['active', 'paused', 'exhausted', 'ended']),
  stores: z.number().int(),
  paidFen: z.number().int(),
  createdAt: z.iso.datetime(),
});
export const programmesSchema = z.object({ items: z.array(programmeSchema) });
