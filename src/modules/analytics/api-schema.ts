import { z } from 'zod';

/**
 * The dashboards' contract: a dashboard is a list of panels, each one figure by month with its change.
 * Panels are generic so the web app draws any of them; `id` names the figure (docs/METRICS.md).
 */
export const monthParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is written YYYY-MM')
  .describe('The month shown as current (YYYY-MM); this month when left out');

export const metricsQuery = z.object({
  month: monthParam.optional(),
  months: z.coerce
    .number()
    .int()
    .min(2)
    .max(25)
    .default(13)
    .describe('How many months the series holds, ending with `month` (13 shows a year-on-year point)'),
});

export const monthPoint = z.object({
  month: z.string().describe('YYYY-MM'),
  value: z
    .number()
    .nullable()
    .describe('The figure in the month; null for a ratio or an average without a denominator that month'),
});

export const breakdownRow = z.object({
  key: z
    .string()
    .describe('What the row counts: a refund reason, a channel, a traffic or fan source (docs/METRICS.md)'),
  value: z
    .number()
    .describe(
      "The row's figure for the current month in the panel's `breakdownUnit` (not its `unit`): refund_rate's rows count refunds by reason, channel_share's rows are GMV in fen",
    ),
  share: z
    .number()
    .nullable()
    .describe("The row's share of the panel's total (0..1), when shares make sense"),
  group: z.string().nullable().describe('A group the row belongs to (`size` for the size refund reasons)'),
});

export const metricPanel = z.object({
  id: z.string().describe('The figure (`gmv`, `orders`, `active_buyers` …, docs/METRICS.md)'),
  unit: z.enum(['count', 'fen', 'ratio', 'average']),
  value: z
    .number()
    .nullable()
    .describe(
      'The current month (to date); null for a ratio or an average without a denominator (no clicks …)',
    ),
  previous: z.number().nullable().describe('The month before'),
  lastYear: z.number().nullable().describe('The same month a year before'),
  mom: z.number().nullable().describe('Month-on-month change as a ratio (0.12 = +12 %); null without a base'),
  yoy: z.number().nullable().describe('Year-on-year change as a ratio; null without a base'),
  series: z.array(monthPoint).describe('The figure by month, oldest first'),
  breakdownUnit: z
    .enum(['count', 'fen'])
    .describe("What the breakdown rows' values are: counts, or amounts in fen"),
  breakdown: z
    .array(breakdownRow)
    .describe('The current month split by reason, channel or source (may be empty)'),
  definition: z.string().describe('What the figure counts, in one sentence (docs/METRICS.md)'),
});

export const dashboard = z.object({
  scope: z.enum(['platform', 'store']),
  month: z.string().describe('The current month (YYYY-MM)'),
  months: z.array(z.string()).describe('The months of every series, oldest first'),
  generatedAt: z.iso.datetime(),
  panels: z.array(metricPanel),
});

export type MetricPanel = z.infer<typeof metricPanel>;
export type Dashboard = z.infer<typeof dashboard>;
export type MetricsQuery = z.infer<typeof metricsQuery>;
