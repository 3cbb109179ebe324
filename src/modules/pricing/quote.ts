import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { unprocessable } from '../../platform/errors.ts';
import { allocateProRata } from './allocate.ts';
import { bestCoupons, type ChosenCoupon, type CouponCandidate, funderOf } from './best-coupons.ts';
import type { CouponKind, Funder } from './tables.ts';

export type Channel = 'standard' | 'live' | 'flash';
export type DiscountKind = 'subsidy' | CouponKind;

export interface QuoteContext {
  /** null: an anonymous buyer (treated as a new customer of every store). */
  buyerId: string | null;
  at: Date;
  channel?: Channel;
  /** Omitted: the best combination is chosen for the buyer; given: exactly these coupons (`[]`: none). */
  couponIds?: string[];
}

export interface QuoteLineInput {
  skuId: string;
  quantity: number;
}

export interface QuoteDiscount {
  kind: DiscountKind;
  /** The coupon's id, or the subsidy budget's. */
  id: string;
  funder: Funder;
  /** For the whole line (all its units). */
  fen: number;
}

export interface QuoteLine {
  skuId: string;
  storeId: string;
  quantity: number;
  /** The merchant's list price per unit. */
  listUnitFen: number;
  /** The final unit price before order-level coupons (list − subsidy per unit). */
  unitFen: number;
  /** list × quantity. */
  listFen: number;
  /** What the buyer pays for the line: list × quantity − Σ discounts (≥ 1 fen). */
  paidFen: number;
  discounts: QuoteDiscount[];
  /** Σ of the platform-funded discounts of the line. */
  platformFundedFen: number;
}

export interface QuoteCoupon {
  id: string;
  /** The claim used; null when the coupon is claimed automatically at checkout. */
  claimId: string | null;
  kind: CouponKind;
  funder: Funder;
  storeId: string | null;
  title: string;
  discountFen: number;
  thresholdFen: number;
  /** What it takes off this quote. */
  fen: number;
}

/** A subsidy the quote draws: units of one SKU from one budget (checkout draws exactly these). */
export interface QuoteSubsidy {
  subsidySkuId: string;
  budgetId: string;
  skuId: string;
  units: number;
  fenPerUnit: number;
}

export interface Quote {
  buyerId: string | null;
  at: Date;
  channel: Channel;
  lines: QuoteLine[];
  listTotalFen: number;
  discountFen: number;
  /** Σ paidFen: what the buyer pays. */
  totalFen: number;
  platformFundedFen: number;
  coupons: QuoteCoupon[];
  subsidies: QuoteSubsidy[];
}

/** A SKU's list price, as pricing's `sku_prices` holds it. */
export interface SkuRow {
  sku_id: string;
  store_id: string;
  list_price_fen: number;
}
/** A subsidy with room for a SKU at the quote's moment (active budget in its window). */
export interface SubsidyRow {
  id: string;
  budget_id: string;
  sku_id: string;
  fen_per_unit: number;
  units_left: number;
  budget_left: number;
}
/** A coupon usable at the quote's moment, with the buyer's claims of it. */
export interface CouponRow {
  id: string;
  kind: CouponKind;
  store_id: string | null;
  title: string;
  discount_fen: number;
  threshold_fen: number;
  per_buyer_limit: number;
  total_quantity: number;
  claimed_count: number;
  auto_claim: boolean;
  claim_id: string | null;
  claims: number;
  bought: boolean;
}

/**
 * What a quote is computed from: loaded by `quote`/`quoteEach` (three queries), or by another
 * module's own read with the same rows (checkout reads them with everything else in one statement).
 */
export interface QuoteFacts {
  skuOf: Map<string, SkuRow>;
  subsidyRows: SubsidyRow[];
  couponRows: CouponRow[];
}

/**
 * What a buyer pays, line by line (到手价): list price − platform subsidy − the best combination of
 * coupons the buyer holds or can claim automatically. Three queries whatever the number of lines
 * (SKU prices, subsidies, coupons with the buyer's claims). Lines of the same SKU are merged.
 * 422 `unknown_sku` for a SKU pricing does not know; with `couponIds`, 422 `coupon_not_applicable`
 * (or `coupons_not_stackable`) when one of them cannot be used.
 */
export async function quote(db: Db, ctx: QuoteContext, input: readonly QuoteLineInput[]): Promise<Quote> {
  const merged = new Map<string, number>();
  for (const l of input) merged.set(l.skuId, (merged.get(l.skuId) ?? 0) + l.quantity);
  const facts = await loadFacts(db, ctx, [...merged.keys()]);
  return computeQuote(facts, ctx, merged);
}

/**
 * One quote per SKU for one unit each (the product page, the listing's cards), independent of each
 * other, from the same three queries whatever the number of SKUs.
 */
export async function quoteEach(
  db: Db,
  ctx: QuoteContext,
  skuIds: readonly string[],
): Promise<Map<string, Quote>> {
  const ids = [...new Set(skuIds)];
  const facts = await loadFacts(db, ctx, ids);
  return new Map(ids.map((id) => [id, computeQuote(facts, ctx, new Map([[id, 1]]))]));
}

async function loadFacts(db: Db, ctx: QuoteContext, skuIds: string[]): Promise<QuoteFacts> {
  const at = ctx.at;
  const skus = skuIds.length
    ? (
        await sql<SkuRow>`select sku_id, store_id, list_price_fen::int as list_price_fen from sku_prices
          where sku_id = any(${skuIds}::uuid[])`.execute(db)
      ).rows
    : [];
  const skuOf = new Map(skus.map((s) => [s.sku_id, s]));
  const unknown = skuIds.filter((id) => !skuOf.has(id));
  if (unknown.length > 0) throw unprocessable('unknown_sku', 'No such SKU', { skuIds: unknown });
  const storeIds = [...new Set(skus.map((s) => s.store_id))];

  const [subsidyRows, couponRows] = await Promise.all([
    skuIds.length
      ? sql<SubsidyRow>`
          select ss.id, ss.budget_id, ss.sku_id, ss.fen_per_unit::int as fen_per_unit,
                 (ss.cap_units - ss.drawn_units)::int as units_left, (b.total_fen - b.drawn_fen)::bigint as budget_left
          from subsidy_skus ss join subsidy_budgets b on b.id = ss.budget_id
          where ss.sku_id = any(${skuIds}::uuid[]) and b.status = 'active'
            and b.starts_at <= ${at} and b.ends_at > ${at} and ss.drawn_units < ss.cap_units
          order by ss.fen_per_unit desc, ss.id`.execute(db)
      : Promise.resolve({ rows: [] as SubsidyRow[] }),
    ctx.couponIds?.length === 0 || skuIds.length === 0
      ? Promise.resolve({ rows: [] as CouponRow[] })
      : sql<CouponRow>`
          select c.id, c.kind, c.store_id, c.title, c.discount_fen::int as discount_fen,
                 c.threshold_fen::int as threshold_fen, c.per_buyer_limit, c.total_quantity, c.claimed_count, c.auto_claim,
                 (select cl.id from coupon_claims cl where cl.coupon_id = c.id and cl.buyer_id = ${ctx.buyerId}
                    and cl.status = 'available' order by cl.claimed_at, cl.id limit 1) as claim_id,
                 (select count(*)::int from coupon_claims cl where cl.coupon_id = c.id and cl.buyer_id = ${ctx.buyerId}) as claims,
                 exists (select 1 from store_buyers sb where sb.store_id = c.store_id and sb.buyer_id = ${ctx.buyerId}) as bought
          from coupons c
          where c.status = 'active' and c.starts_at <= ${at} and c.ends_at > ${at}
            and (c.store_id = any(${storeIds}::uuid[]) or c.store_id is null)
            ${ctx.couponIds ? sql`and c.id = any(${ctx.couponIds}::uuid[])` : sql``}
          order by c.created_at, c.id`.execute(db),
  ]);
  return { skuOf, subsidyRows: subsidyRows.rows, couponRows: couponRows.rows };
}

/**
 * The quote for `merged` (quantity by SKU, every SKU in `facts.skuOf`) from facts already read: the
 * rule quote() applies. Throws 422 `coupon_not_applicable` / `coupons_not_stackable` as quote() does.
 */
export function computeQuote(facts: QuoteFacts, ctx: QuoteContext, merged: Map<string, number>): Quote {
  const { skuOf } = facts;
  const at = ctx.at;
  const skuIds = [...merged.keys()];
  const storeIds = [...new Set(skuIds.map((id) => (skuOf.get(id) as SkuRow).store_id))];
  const subsidyRows = { rows: facts.subsidyRows };
  const couponRows = {
    rows: facts.couponRows.filter((c) => c.store_id === null || storeIds.includes(c.store_id)),
  };
  // 1. Subsidies, line by line: the best subsidy with room, as many units as its caps allow.
  const budgetLeft = new Map<string, number>();
  for (const r of subsidyRows.rows) budgetLeft.set(r.budget_id, Number(r.budget_left));
  const subsidies: QuoteSubsidy[] = [];
  const lines: QuoteLine[] = skuIds.map((skuId) => {
    const sku = skuOf.get(skuId) as SkuRow;
    const quantity = merged.get(skuId) as number;
    const list = Number(sku.list_price_fen);
    const line: QuoteLine = {
      skuId,
      storeId: sku.store_id,
      quantity,
      listUnitFen: list,
      unitFen: list,
      listFen: list * quantity,
      paidFen: list * quantity,
      discounts: [],
      platformFundedFen: 0,
    };
    for (const s of subsidyRows.rows) {
      if (s.sku_id !== skuId) continue;
      const perUnit = Math.min(Number(s.fen_per_unit), list - 1);
      const left = budgetLeft.get(s.budget_id) ?? 0;
      const units = Math.min(quantity, Number(s.units_left), Math.floor(left / Number(s.fen_per_unit)));
      if (perUnit <= 0 || units <= 0) continue;
      // The budget pays the subsidy's own amount per unit (clamped only when the list price is lower).
      budgetLeft.set(s.budget_id, left - units * perUnit);
      const fen = units * perUnit;
      subsidies.push({ subsidySkuId: s.id, budgetId: s.budget_id, skuId, units, fenPerUnit: perUnit });
      line.discounts.push({ kind: 'subsidy', id: s.budget_id, funder: 'platform', fen });
      line.paidFen -= fen;
      line.platformFundedFen += fen;
      line.unitFen = Math.ceil(line.paidFen / quantity);
      break;
    }
    return line;
  });

  // 2. Coupons: the candidates the buyer can use, then the best combination (or exactly the ones asked for).
  const candidates: CouponCandidate[] = [];
  const couponOf = new Map<string, CouponRow>();
  for (const c of couponRows.rows) {
    couponOf.set(c.id, c);
    const held = ctx.buyerId !== null && c.claim_id !== null;
    const auto =
      c.auto_claim &&
      c.claims < c.per_buyer_limit &&
      c.claimed_count < c.total_quantity &&
      (c.kind !== 'follow_coupon' || !c.bought);
    if (!held && !auto) continue;
    candidates.push({
      couponId: c.id,
      claimId: held ? c.claim_id : null,
      kind: c.kind,
      storeId: c.store_id,
      discountFen: Number(c.discount_fen),
      thresholdFen: Number(c.threshold_fen),
    });
  }
  const storeAmounts = storeIds.map((storeId) => {
    const mine = lines.filter((l) => l.storeId === storeId);
    return { storeId, payableFen: mine.reduce((s, l) => s + l.paidFen, 0), lines: mine.length };
  });
  if (ctx.couponIds) checkStacking(ctx.couponIds, couponOf);
  const choice = bestCoupons(storeAmounts, candidates);
  const chosen: ChosenCoupon[] = [...choice.store.values()];
  if (ctx.couponIds) {
    const used = new Set(
      [...chosen, ...(choice.platform ? [choice.platform] : [])].map((c) => c.candidate.couponId),
    );
    const missing = [...new Set(ctx.couponIds)].filter((id) => !used.has(id));
    if (missing.length > 0)
      throw unprocessable('coupon_not_applicable', 'A coupon cannot be used for these items', {
        couponIds: missing,
      });
  }
  const coupons: QuoteCoupon[] = [];
  const apply = (c: ChosenCoupon, scope: QuoteLine[]) => {
    const shares = allocateProRata(
      scope.map((l) => l.paidFen),
      c.fen,
    );
    const funder = funderOf(c.candidate.kind);
    scope.forEach((l, i) => {
      if (shares[i] === 0) return;
      l.discounts.push({ kind: c.candidate.kind, id: c.candidate.couponId, funder, fen: shares[i] });
      l.paidFen -= shares[i];
      if (funder === 'platform') l.platformFundedFen += shares[i];
    });
    const row = couponOf.get(c.candidate.couponId) as CouponRow;
    coupons.push({
      id: row.id,
      claimId: c.candidate.claimId,
      kind: row.kind,
      funder,
      storeId: row.store_id,
      title: row.title,
      discountFen: Number(row.discount_fen),
      thresholdFen: Number(row.threshold_fen),
      fen: c.fen,
    });
  };
  for (const c of chosen)
    apply(
      c,
      lines.filter((l) => l.storeId === c.candidate.storeId),
    );
  if (choice.platform) apply(choice.platform, lines);

  const listTotalFen = lines.reduce((s, l) => s + l.listFen, 0);
  const totalFen = lines.reduce((s, l) => s + l.paidFen, 0);
  return {
    buyerId: ctx.buyerId,
    at,
    channel: ctx.channel ?? 'standard',
    lines,
    listTotalFen,
    discountFen: listTotalFen - totalFen,
    totalFen,
    platformFundedFen: lines.reduce((s, l) => s + l.platformFundedFen, 0),
    coupons,
    subsidies,
  };
}

/** Coupons asked for by id: known and usable together (≤ 1 per store, ≤ 1 platform coupon). */
function checkStacking(couponIds: string[], couponOf: Map<string, CouponRow>): void {
  const unknown = couponIds.filter((id) => !couponOf.has(id));
  if (unknown.length > 0)
    throw unprocessable('coupon_not_applicable', 'A coupon cannot be used for these items', {
      couponIds: unknown,
    });
  const slots = new Set<string>();
  for (const id of new Set(couponIds)) {
    const slot = couponOf.get(id)?.store_id ?? 'platform';
    if (slots.has(slot))
      throw unprocessable(
        'coupons_not_stackable',
        'At most one store coupon per store and one platform coupon',
      );
    slots.add(slot);
  }
}
