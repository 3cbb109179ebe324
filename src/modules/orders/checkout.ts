import fs from 'node:fs';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { type Attribution, DIRECT } from '../../platform/attribution.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, unprocessable } from '../../platform/errors.ts';
import { TOPICS } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { preparedStatement } from '../../platform/prepared.ts';
import { mergeStockLines, type SkuForSale, type StockLine } from '../catalog/index.ts';
import { storeIsOpen } from '../merchants/index.ts';
import {
  computeQuote,
  type Quote,
  type QuoteCouponRow,
  type QuoteLine,
  type QuoteSkuRow,
  type QuoteSubsidyRow,
} from '../pricing/index.ts';
import type { CheckoutView } from './api-schema.ts';
import {
  attributionColumns,
  attributionOf,
  eventLines,
  leadingAttribution,
  lineAttribution,
} from './line-attribution.ts';
import type { Address, OrderLineRow, OrderRow } from './schema.ts';
import { orderView, storeNames } from './views.ts';

export interface CheckoutInput {
  /** Buy now: these lines, each with where the buyer came from when given; omitted: the cart. */
  lines?: Array<StockLine & { attribution?: Attribution }>;
  address: Address;
  /** Exactly these coupons (`[]`: none); omitted: the best combination for the buyer (as the cart shows). */
  couponIds?: string[];
  /** Where the buyer came from, for the checkout and its orders (line-attribution.ts says the rules). */
  attribution?: Attribution;
}

export type { CheckoutView };

/** Other modules' SQL the statements embed, compiled once at module load (no parameters). */
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const storeOpenSql = (storeId: string) => storeIsOpen(sql.ref(storeId)).compile(compiler).sql;

// ---- 1. The facts: one prepared read, no transaction ----

interface FactsRow {
  /**
   * The wanted lines: the request's (merged, SKU-id order) or the cart's, each with the attribution
   * of the buyer's cart line of that SKU (null: not in the cart).
   */
  lines: Array<StockLine & { cartAttribution: Attribution | null }>;
  /** What is sold, as catalog describes it (without price and stock: pricing and the write have those). */
  skus: Array<Omit<SkuForSale, 'priceFen' | 'stock'>>;
  prices: QuoteSkuRow[];
  subsidies: QuoteSubsidyRow[];
  coupons: QuoteCouponRow[];
  storeNames: Record<string, string>;
  /** This Idempotency-Key's row, when an earlier request claimed it. */
  idem: { hash: string; status: number; response: Record<string, unknown> } | null;
}

/** A statement file of this folder, with merchants' store-open rule filled in where it is marked. */
function statementFile(name: string): string {
  return fs
    .readFileSync(new URL(name, import.meta.url), 'utf8')
    .replaceAll('{{store_open(p.store_id)}}', storeOpenSql('p.store_id'));
}

/** Everything the quote and the write need, in one statement (checkout-facts.sql says what and why). */
const readFacts = preparedStatement<FactsRow>('checkout-facts', statementFile('./checkout-facts.sql'));

// ---- 2. The write: place-checkout.sql, one statement ----

const placeStatement = preparedStatement<{
  code: 'ok' | 'replay';
  order_nos: Record<string, string>;
}>('checkout-place', statementFile('./place-checkout.sql'));

// ---- 3. Replay: the checkout view rebuilt from the tables, one read ----

const readCheckout = preparedStatement<{
  id: string;
  total_fen: number;
  expires_at: string;
  orders: Array<{ order: OrderRow; lines: OrderLineRow[] }>;
}>(
  'checkout-view',
  `select c.id, c.total_fen::bigint as total_fen, c.expires_at,
  coalesce((select jsonb_agg(jsonb_build_object(
      'order', to_jsonb(o),
      'lines', (select coalesce(jsonb_agg(to_jsonb(l)), '[]'::jsonb) from order_lines l where l.order_id = o.id)))
    from orders o where o.checkout_id = c.id), '[]'::jsonb) as orders
from checkouts c where c.id = $1::uuid`,
);

/** How many times the facts are re-read when a price, subsidy or coupon moved under the quote. */
const TRIES = 3;

export interface PlaceCheckout {
  buyerId: string;
  idempotencyKey: string;
  requestHash: string;
  input: CheckoutInput;
  now: Date;
  ttlMinutes: number;
  commissionBps: number;
  /** The subscribers of `order.placed` (one outbox job per order and subscriber). */
  placedSubscribers: string[];
}

export interface PlacedCheckout {
  statusCode: number;
  view: CheckoutView;
  replayed: boolean;
}

/**
 * Places a checkout in two statements, neither in a transaction: the facts read (prepared), the
 * quote computed from them here, then place-checkout.sql, which claims the Idempotency-Key,
 * reserves the stock under row locks (SKU-id order), verifies the facts the quote used, draws the
 * subsidies and coupons and writes everything, or raises (checkout_refused) and writes nothing.
 * One order per store; each line stores its list price, its discounts with their funder and what it
 * pays; the order's total is Σ paid. A moved price, subsidy or coupon re-reads the facts (at most
 * 3 tries, then 409 `price_changed`). A key claimed by an earlier request replays its checkout
 * (rebuilt from the tables, one more read); a different body under it is a 409.
 */
export async function placeCheckout(db: Db, p: PlaceCheckout): Promise<PlacedCheckout> {
  const requested = p.input.lines ? mergeStockLines(p.input.lines) : null;
  if (requested && requested.length === 0) throw unprocessable('cart_empty', 'There is nothing to check out');
  if (requested?.some((l) => l.quantity > 999))
    throw unprocessable('quantity_too_large', 'At most 999 of a SKU');
  for (let attempt = 1; attempt <= TRIES; attempt += 1) {
    const facts = (
      await readFacts.execute(db, [
        p.buyerId,
        requested ? requested.map((l) => l.skuId) : null,
        requested ? requested.map((l) => l.quantity) : null,
        p.now,
        p.input.couponIds ?? null,
        p.idempotencyKey,
      ])
    ).rows[0] as FactsRow;
    if (facts.idem) return replay(db, p, facts.idem);
    const placed = await tryPlace(db, p, facts);
    if (placed) return placed;
  }
  throw conflict('price_changed', 'Prices changed while checking out; look at the new price and try again');
}

/** One attempt from one read of the facts; null when a fact moved under the quote (read again). */
async function tryPlace(db: Db, p: PlaceCheckout, facts: FactsRow): Promise<PlacedCheckout | null> {
  const wanted = facts.lines;
  if (wanted.length === 0) throw unprocessable('cart_empty', 'There is nothing to check out');
  if (wanted.some((l) => l.quantity > 999)) throw unprocessable('quantity_too_large', 'At most 999 of a SKU');
  const skuOf = new Map(facts.skus.map((s) => [s.skuId, s]));
  // What the statement checks again under its locks, answered early from the facts.
  const suspended = wanted.filter((l) => skuOf.get(l.skuId)?.storeOpen === false).map((l) => l.skuId);
  if (suspended.length > 0) {
    throw conflict('store_suspended', 'Some items are sold by a store that is suspended', {
      skuIds: suspended,
    });
  }
  const unavailable = wanted.filter((l) => !skuOf.get(l.skuId)?.onSale).map((l) => l.skuId);
  if (unavailable.length > 0) {
    throw conflict('sku_unavailable', 'Some items are not for sale', { skuIds: unavailable });
  }
  const priceOf = new Map(facts.prices.map((r) => [r.sku_id, r]));
  const unknown = wanted.filter((l) => !priceOf.has(l.skuId)).map((l) => l.skuId);
  if (unknown.length > 0) throw unprocessable('unknown_sku', 'No such SKU', { skuIds: unknown });

  const priced = computeQuote(
    { skuOf: priceOf, subsidyRows: facts.subsidies, couponRows: facts.coupons },
    { buyerId: p.buyerId, at: p.now, couponIds: p.input.couponIds },
    new Map(wanted.map((l) => [l.skuId, l.quantity])),
  );
  const pricedLine = new Map<string, QuoteLine>(priced.lines.map((l) => [l.skuId, l]));

  // Where the buyer came from, line by line: a checkout of the cart keeps each cart line's; a buy-now
  // line takes its own, else the request's, else the cart line's of its SKU (line-attribution.ts).
  const requestLineAttribution = new Map<string, Attribution>();
  for (const l of p.input.lines ?? []) if (l.attribution) requestLineAttribution.set(l.skuId, l.attribution);
  const attributionOfLine = (l: FactsRow['lines'][number]): Attribution =>
    p.input.lines
      ? lineAttribution(requestLineAttribution.get(l.skuId), p.input.attribution, l.cartAttribution)
      : (l.cartAttribution ?? DIRECT);

  const checkoutId = newId();
  const expiresAt = new Date(p.now.getTime() + p.ttlMinutes * 60_000);
  const byStore = new Map<string, OrderLineRow[]>();
  const orderIdOf = new Map<string, string>();
  for (const line of wanted) {
    const sku = skuOf.get(line.skuId);
    const money = pricedLine.get(line.skuId);
    if (!sku || !money) continue;
    let orderId = orderIdOf.get(sku.storeId);
    if (!orderId) {
      orderId = newId();
      orderIdOf.set(sku.storeId, orderId);
      byStore.set(sku.storeId, []);
    }
    byStore.get(sku.storeId)?.push({
      order_id: orderId,
      sku_id: sku.skuId,
      product_id: sku.productId,
      title: sku.title,
      size: sku.size,
      color: sku.color,
      image: sku.image,
      unit_price_fen: money.unitFen,
      quantity: line.quantity,
      list_price_fen: money.listUnitFen,
      discounts: money.discounts,
      paid_fen: money.paidFen,
      platform_funded_fen: money.platformFundedFen,
      refunded_quantity: 0,
      refunded_fen: 0,
      ...attributionColumns(attributionOfLine(line)),
    });
  }
  const leading = (lines: OrderLineRow[]) =>
    leadingAttribution(
      p.input.attribution,
      lines.map((l) => ({ skuId: l.sku_id, paidFen: l.paid_fen, attribution: attributionOf(l) })),
    );
  const orders: OrderRow[] = [...byStore].map(([storeId, lines]) => ({
    id: orderIdOf.get(storeId) as string,
    order_no: '', // numbered by the statement (order_no_seq)
    checkout_id: checkoutId,
    buyer_id: p.buyerId,
    store_id: storeId,
    status: 'pending_payment',
    // What the buyer pays is Σ of what the lines pay: every discount is in the quote once.
    total_fen: lines.reduce((sum, l) => sum + l.paid_fen, 0),
    platform_funded_fen: lines.reduce((sum, l) => sum + l.platform_funded_fen, 0),
    address: p.input.address,
    created_at: p.now,
    expires_at: expiresAt,
    paid_at: null,
    shipped_at: null,
    carrier: null,
    tracking_no: null,
    delivered_at: null,
    completed_at: null,
    closed_at: null,
    close_reason: null,
    commission_bps: p.commissionBps,
    payment_method: 'online',
    settled_at: null,
    merchant_refunded_fen: 0,
    ...attributionColumns(leading(lines)),
  }));
  const totalFen = orders.reduce((sum, o) => sum + o.total_fen, 0);
  const allLines = [...byStore.values()].flat().sort((a, b) => (a.sku_id < b.sku_id ? -1 : 1));
  const checkoutAttribution = leading(allLines);
  const d = redemptionParams(priced, orderIdOf);
  const payloads = orders.map((o) =>
    JSON.stringify(
      TOPICS['order.placed'].parse({
        orderId: o.id,
        storeId: o.store_id,
        buyerId: p.buyerId,
        totalFen: o.total_fen,
        lines: eventLines(byStore.get(o.store_id) ?? []),
      }),
    ),
  );

  let answer: { code: 'ok' | 'replay'; order_nos: Record<string, string> };
  try {
    const res = await placeStatement.execute(db, [
      p.buyerId,
      p.idempotencyKey,
      p.requestHash,
      p.now,
      checkoutId,
      expiresAt,
      totalFen,
      p.commissionBps,
      JSON.stringify(p.input.address),
      orders.map((o) => o.id),
      orders.map((o) => o.store_id),
      orders.map((o) => o.total_fen),
      orders.map((o) => o.platform_funded_fen),
      allLines.map((l) => l.order_id),
      allLines.map((l) => l.sku_id),
      allLines.map((l) => l.product_id),
      allLines.map((l) => l.title),
      allLines.map((l) => l.size),
      allLines.map((l) => l.color),
      allLines.map((l) => l.image),
      allLines.map((l) => l.unit_price_fen),
      allLines.map((l) => l.quantity),
      allLines.map((l) => l.list_price_fen),
      allLines.map((l) => JSON.stringify(l.discounts)),
      allLines.map((l) => l.paid_fen),
      allLines.map((l) => l.platform_funded_fen),
      ...d,
      payloads,
      p.placedSubscribers,
      allLines.map((l) => l.channel),
      allLines.map((l) => l.impression_id),
      allLines.map((l) => l.content_id),
      orders.map((o) => o.channel),
      orders.map((o) => o.impression_id),
      orders.map((o) => o.content_id),
      checkoutAttribution.channel,
      checkoutAttribution.impressionId,
      checkoutAttribution.contentId,
    ]);
    answer = res.rows[0] as typeof answer;
  } catch (err) {
    const refused = refusal(err);
    if (!refused) throw err;
    if (refused.code === 'price_changed') return null;
    throw refusedError(refused.code, refused.detail);
  }
  if (answer.code === 'replay') {
    // The key was claimed after the facts were read (a racing duplicate): its row is committed now.
    const again = (await readFacts.execute(db, [p.buyerId, [], [], p.now, [], p.idempotencyKey]))
      .rows[0] as FactsRow;
    if (!again.idem)
      throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
    return replay(db, p, again.idem);
  }
  for (const o of orders) o.order_no = answer.order_nos[o.id] ?? '';
  return {
    statusCode: 201,
    replayed: false,
    view: checkoutView(
      checkoutId,
      totalFen,
      expiresAt,
      orders.map((o) => ({
        order: o,
        lines: byStore.get(o.store_id) ?? [],
        storeName: facts.storeNames[o.store_id],
      })),
    ),
  };
}

/** The statement's subsidy, coupon and redemption parameters ($27–$38) for a quote. */
function redemptionParams(q: Quote, orderIdOfStore: Map<string, string>): unknown[] {
  const orderOfSku = new Map(q.lines.map((l) => [l.skuId, orderIdOfStore.get(l.storeId) as string]));
  const s = q.subsidies;
  const held = q.coupons.filter((c) => c.claimId !== null);
  const auto = q.coupons.filter((c) => c.claimId === null).map((c) => ({ couponId: c.id, claimId: newId() }));
  const claimOf = new Map<string, string>([
    ...held.map((c) => [c.id, c.claimId as string] as const),
    ...auto.map((c) => [c.couponId, c.claimId] as const),
  ]);
  // Each used claim, per order it was spread over.
  const redemptions = new Map<string, { claimId: string; orderId: string; fen: number }>();
  for (const l of q.lines) {
    const orderId = orderOfSku.get(l.skuId) as string;
    for (const d of l.discounts) {
      const claimId = claimOf.get(d.id);
      if (!claimId || d.kind === 'subsidy') continue;
      const key = `${claimId}/${orderId}`;
      const seen = redemptions.get(key) ?? { claimId, orderId, fen: 0 };
      seen.fen += d.fen;
      redemptions.set(key, seen);
    }
  }
  const red = [...redemptions.values()];
  return [
    s.map((x) => x.subsidySkuId),
    s.map((x) => x.budgetId),
    s.map((x) => x.skuId),
    s.map((x) => orderOfSku.get(x.skuId)),
    s.map((x) => x.units),
    s.map((x) => x.fenPerUnit),
    held.map((c) => c.claimId),
    auto.map((c) => c.couponId),
    auto.map((c) => c.claimId),
    red.map((x) => x.claimId),
    red.map((x) => x.orderId),
    red.map((x) => x.fen),
  ];
}

/** `checkout_refused <code> <detail>` raised by place-checkout.sql (SQLSTATE GC001), if that is the error. */
function refusal(err: unknown): { code: string; detail: Record<string, unknown> } | null {
  const e = err as { code?: string; message?: string } | null;
  const m = /checkout_refused (\S+) (.*)$/s.exec(e?.message ?? '');
  if (!m || (e?.code !== undefined && e.code !== 'GC001')) return null;
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(m[2] as string) as Record<string, unknown>;
  } catch {
    detail = {};
  }
  return { code: m[1] as string, detail };
}

function refusedError(code: string, detail: Record<string, unknown>): Error {
  const skuIds = Array.isArray(detail.skuIds) ? (detail.skuIds as string[]) : [];
  switch (code) {
    case 'store_suspended':
      return conflict('store_suspended', 'Some items are sold by a store that is suspended', { skuIds });
    case 'sku_unavailable':
      return conflict('sku_unavailable', 'Some items are not for sale', { skuIds });
    case 'out_of_stock':
      return conflict('out_of_stock', 'Some items are out of stock', { skuIds });
    default:
      // place-checkout.sql answers only the codes above and price_changed (retried by the caller).
      return new Error(`place-checkout.sql refused with an unknown code: ${code}`);
  }
}

/** An earlier request's answer under this key: its checkout, rebuilt from the tables. */
async function replay(
  db: Db,
  p: PlaceCheckout,
  idem: NonNullable<FactsRow['idem']>,
): Promise<PlacedCheckout> {
  if (idem.hash !== p.requestHash) {
    throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
  }
  if (idem.status === 0)
    throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
  // Answers stored whole before checkout stored only its id.
  if (idem.response.checkout) {
    return { statusCode: idem.status, replayed: true, view: idem.response.checkout as CheckoutView };
  }
  const view = await loadCheckoutView(db, idem.response.checkoutId as string);
  if (!view) throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
  return { statusCode: idem.status, replayed: true, view };
}

/** A checkout as its first answer showed it (orders and lines in the same order), from the tables. */
export async function loadCheckoutView(db: Db, checkoutId: string): Promise<CheckoutView | null> {
  const row = (await readCheckout.execute(db, [checkoutId])).rows[0];
  if (!row) return null;
  const names = await storeNames(
    db,
    row.orders.map((o) => o.order.store_id),
  );
  return checkoutView(
    row.id,
    Number(row.total_fen),
    new Date(row.expires_at),
    row.orders.map((o) => ({ order: o.order, lines: o.lines, storeName: names.get(o.order.store_id) ?? '' })),
  );
}

/** Orders by their first SKU id, lines by SKU id: the same view fresh and replayed. */
function checkoutView(
  id: string,
  totalFen: number,
  expiresAt: Date,
  orders: Array<{ order: OrderRow; lines: OrderLineRow[]; storeName: string | undefined }>,
): CheckoutView {
  const sorted = orders
    .map((o) => ({ ...o, lines: [...o.lines].sort((a, b) => (a.sku_id < b.sku_id ? -1 : 1)) }))
    .sort((a, b) => ((a.lines[0]?.sku_id ?? '') < (b.lines[0]?.sku_id ?? '') ? -1 : 1));
  return {
    id,
    totalFen,
    expiresAt: expiresAt.toISOString(),
    orders: sorted.map((o) => orderView(o.order, o.lines, o.storeName ?? '')),
  };
}
