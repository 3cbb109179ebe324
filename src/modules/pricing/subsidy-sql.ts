import { type RawBuilder, sql } from 'kysely';

/**
 * The subsidy per unit a SKU gets at `at`, as SQL (0 when none): the largest subsidy of an active
 * budget in its window that can still pay one more unit (per-SKU cap and budget cap), never
 * leaving the unit below 1 fen. The quote applies the same rule line by line (quote.ts).
 */
export function subsidyPerUnitSql(skuId: RawBuilder<unknown>, listFen: RawBuilder<unknown>, at: Date) {
  return sql<number>`coalesce((
    select max(least(ss.fen_per_unit, ${listFen} - 1)) from subsidy_skus ss
    join subsidy_budgets b on b.id = ss.budget_id
    where ss.sku_id = ${skuId} and b.status = 'active' and b.starts_at <= ${at} and b.ends_at > ${at}
      and ss.drawn_units < ss.cap_units and b.total_fen - b.drawn_fen >= ss.fen_per_unit), 0)`;
}

/**
 * A SKU's cached subsidy-adjusted unit price (what the listing's price sort orders by), as SQL
 * for another module's query: `(select min(${finalUnitFenSql(sql.ref('s.id'))}) from skus s …)`.
 */
export function finalUnitFenSql(skuId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(select sp.final_fen from sku_prices sp where sp.sku_id = ${skuId})`;
}
