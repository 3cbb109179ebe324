import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Attribution } from '../../platform/attribution.ts';
import { type Actor, assertBuyer, assertMerchant } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { requestHash } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import type { Notifications } from '../../platform/notifications.ts';
import { preparedNameOf, preparedStatement } from '../../platform/prepared.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import { releaseStock, reserveForSale, type StockCause, skusForSale } from '../catalog/index.ts';
import type { HeldOrderInput, HeldUnits, OrdersService, StockHolder } from '../orders/index.ts';
import type { CreateFlashSale, FlashSaleView, PurchaseAnswer, PurchaseBody } from './api-schema.ts';
import { saleStatus, shardCount, splitUnits } from './shards.ts';

/** What flash sales need of a live session (the live module's service, when it is there). */
export interface LiveSessionLookup {
  getSession(id: string): Promise<{ storeId: string; status: string; productIds: string[] } | null>;
}

export interface FlashSalesDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  realtime: RealtimeHub;
  /** Change notices between processes: a unit coming back to a sale clears every process's sold-out marker. */
  notifications: Notifications;
  orders: OrdersService;
  /** The live module's sessions, when that module is built (null: a session id is not checked). */
  live: () => LiveSessionLookup | null;
}

/** The holder name of flash orders' units (orders' order_stock_holds.holder). */
export const FLASH_HOLDER = 'flash';
/** At most this many `flash` room messages per second per sale (changes in between are merged). */
const PUBLISH_EVERY_MS = 250;
/**
 * A sale found sold out is answered from memory until a unit comes back (a `UNITS_BACK` notice); only
 * this long while no notice can be trusted (the listening connection is down, or a unit came back
 * in the last UNITS_BACK_SETTLE_MS: this process hears its own notice before the commit).
 */
const SOLD_OUT_MEMORY_MS = 200;
/** The buyers of a sale kept in memory while it is sold out, up to this many (more: each refusal asks the database). */
const SOLD_OUT_BUYERS_MAX = 100_000;
const UNITS_BACK_SETTLE_MS = 5_000;
/** The channel a sale's returned units are announced on (payload: the sale id). */
export const UNITS_BACK = 'gravity_flash_units_back';

type Bought =
  | { kind: 'bought'; answer: PurchaseAnswer }
  | { kind: 'replay' }
  | { kind: 'busy' }
  | { kind: 'sold_out' };

interface SaleRow {
  id: string;
  store_id: string;
  session_id: string | null;
  sku_id: string;
  product_id: string;
  title: string;
  image: string;
  size: string;
  color: string;
  price_fen: number;
  list_price_fen: number;
  units: number;
  per_buyer_limit: number;
  shards: number;
  status: 'running' | 'ended';
  starts_at: Date;
  ends_at: Date;
  ended_at: Date | null;
}

/**
 * Flash sales (秒杀): units set aside from a SKU once, sold from K shard rows (never below zero), at
 * most `perBuyerLimit` per buyer (a unique row per buyer and sale), each purchase a real order placed
 * in the same transaction as its claim (orders' held-order seam), payable through the normal pay
 * flow. Unpaid flash orders expire like any other; their unit comes back to the sale while it runs
 * (`takeBack`), to the SKU after. docs/FLASH-SALES.md.
 */
export class FlashSalesService implements StockHolder {
  /** Immutable facts of sales seen here (the row minus status), so a purchase does not read them. */
  private readonly facts = new Map<string, SaleRow>();
  /**
   * Sold-out markers (sale id → until when, monotonic ms; Infinity: until a unit comes back). The
   * database stays the truth: a marker only ever says no, and any doubt shortens it.
   */
  private readonly soldOutUntil = new Map<string, number>();
  /**
   * For a sale marked sold out until a unit comes back: every buyer who ever claimed a unit of it. Only
   * they can hold an Idempotency-Key whose purchase went through, so anyone else's refusal needs no
   * database lookup. Dropped with the marker.
   */
  private readonly soldOutBuyers = new Map<string, ReadonlySet<string>>();
  /** When (monotonic ms) a unit last came back to each sale (this process's notice, or another's). */
  private readonly unitsBackAt = new Map<string, number>();
  /** Bumped by every unit-back notice: a purchase that overlapped one marks its sale sold out only briefly. */
  private generation = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: FlashSalesDeps) {
    deps.notifications.on(UNITS_BACK, (saleId) => this.unitsCameBack(saleId));
    deps.notifications.onReconnect(() => {
      this.soldOutUntil.clear();
      this.soldOutBuyers.clear();
    });
  }

  private forgetSoldOut(saleId: string): void {
    this.soldOutUntil.delete(saleId);
    this.soldOutBuyers.delete(saleId);
  }

  private unitsCameBack(saleId: string): void {
    this.generation += 1;
    this.forgetSoldOut(saleId);
    this.unitsBackAt.set(saleId, performance.now());
    if (this.unitsBackAt.size > 10_000) this.unitsBackAt.clear();
  }

  /** True when `sold_out` may be answered from memory. */
  private knownSoldOut(saleId: string): boolean {
    const until = this.soldOutUntil.get(saleId);
    if (until === undefined) return false;
    if (until === Number.POSITIVE_INFINITY ? this.deps.notifications.live : until > performance.now())
      return true;
    this.forgetSoldOut(saleId);
    return false;
  }

  /** False only when this buyer surely never bought from this sold-out sale (so holds no stored answer). */
  private mayHaveBought(saleId: string, buyerId: string): boolean {
    return this.soldOutBuyers.get(saleId)?.has(buyerId) ?? true;
  }

  /** The database said no unit is left (in a purchase that began at `generation`). */
  private markSoldOut(saleId: string, generation: number): void {
    this.deps.notifications.listen();
    const now = performance.now();
    const settled =
      this.deps.notifications.live &&
      generation === this.generation &&
      now - (this.unitsBackAt.get(saleId) ?? Number.NEGATIVE_INFINITY) > UNITS_BACK_SETTLE_MS;
    if (this.soldOutUntil.size > 10_000) {
      this.soldOutUntil.clear();
      this.soldOutBuyers.clear();
    }
    const already = this.soldOutUntil.get(saleId) === Number.POSITIVE_INFINITY;
    this.soldOutUntil.set(saleId, settled ? Number.POSITIVE_INFINITY : now + SOLD_OUT_MEMORY_MS);
    if (settled && !already) void this.loadSoldOutBuyers(saleId, generation);
  }

  /**
   * The buyers of a sale found sold out. Every purchase that took a unit committed before the one that
   * found none began (it saw every shard at 0), so this read sees them all; units come back only with
   * a notice, which drops the marker and this set (a load overlapping one is thrown away).
   */
  private async loadSoldOutBuyers(saleId: string, generation: number): Promise<void> {
    try {
      const r = await sql<{ buyer_id: string }>`
        select buyer_id from flash_sale_buyers where sale_id = ${saleId}
        limit ${SOLD_OUT_BUYERS_MAX + 1}`.execute(this.deps.db);
      if (r.rows.length > SOLD_OUT_BUYERS_MAX) return;
      if (generation !== this.generation || this.soldOutUntil.get(saleId) !== Number.POSITIVE_INFINITY)
        return;
      this.soldOutBuyers.set(saleId, new Set(r.rows.map((row) => row.buyer_id)));
    } catch (err) {
      this.deps.log.warn({ err, saleId }, 'buyers of a sold-out flash sale not loaded');
    }
  }

  // ---- merchant ----

  async create(actor: Actor, input: CreateFlashSale): Promise<FlashSaleView> {
    const storeId = assertMerchant(actor);
    const { db, clock } = this.deps;
    const sku = (await skusForSale(db, [input.skuId])).get(input.skuId);
    if (!sku || sku.storeId !== storeId) throw notFound('SKU');
    if (!sku.onSale) throw conflict('sku_unavailable', 'This SKU is not for sale');
    if (input.priceFen > sku.priceFen)
      throw unprocessable('flash_price_too_high', 'The flash price must not exceed the list price');
    if (input.sessionId) {
      const live = this.deps.live();
      if (live) {
        const session = await live.getSession(input.sessionId);
        if (!session || session.storeId !== storeId) throw notFound('Live session');
        if (session.status === 'ended' || session.status === 'cancelled')
          throw conflict('session_over', 'This live session is over');
        if (session.productIds.length > 0 && !session.productIds.includes(sku.productId))
          throw unprocessable('product_not_in_session', 'The product is not one of the session’s products');
      }
    }
    const now = clock.now();
    const id = newId();
    const shards = shardCount(input.units);
    const startsAt = new Date(now.getTime() + (input.startsInSeconds ?? 0) * 1000);
    const endsAt = new Date(startsAt.getTime() + input.durationSeconds * 1000);
    await db.transaction().execute(async (trx) => {
      // The units leave the SKU's sellable stock once (logged as a stock movement), under its lock.
      const reserved = (
        await reserveForSale(trx, [{ skuId: input.skuId, quantity: input.units }], {
          actor: `merchant:${actor.accountId}`,
          at: now,
          reason: 'flash_sale_started',
          ref: id,
        })
      ).get(input.skuId);
      if (!reserved?.onSale) throw conflict('sku_unavailable', 'This SKU is not for sale');
      if (!reserved.reserved)
        throw conflict('not_enough_stock', 'The SKU has fewer units in stock than the sale needs', {
          stock: reserved.stock,
        });
      await sql`
        with sale as (
          insert into flash_sales (id, store_id, session_id, sku_id, product_id, title, image, size, color, price_fen,
                                   list_price_fen, units, per_buyer_limit, shards, status, starts_at, ends_at,
                                   created_by, created_at)
          values (${id}, ${storeId}, ${input.sessionId ?? null}, ${input.skuId}, ${sku.productId}, ${sku.title},
                  ${sku.image}, ${sku.size}, ${sku.color}, ${input.priceFen}, ${sku.priceFen}, ${input.units},
                  ${input.perBuyerLimit ?? 1}, ${shards}, 'running', ${startsAt}, ${endsAt}, ${actor.accountId}, ${now})
          returning id
        )
        insert into flash_sale_shards (sale_id, shard, remaining)
        select s.id, t.shard - 1, t.remaining
        from sale s cross join unnest(${splitUnits(input.units, shards)}::int[]) with ordinality as t(remaining, shard)`.execute(
        trx,
      );
    });
    const view = await this.view(id);
    this.publishNow(view);
    return view;
  }

  async listForStore(actor: Actor, sessionId?: string): Promise<FlashSaleView[]> {
    const storeId = assertMerchant(actor);
    const rows = await this.rows(
      sql`f.store_id = ${storeId} and (${sessionId ?? null}::uuid is null or f.session_id = ${sessionId ?? null}::uuid)`,
    );
    return rows.map((r) => this.toView(r));
  }

  async endByMerchant(actor: Actor, saleId: string): Promise<FlashSaleView> {
    const storeId = assertMerchant(actor);
    const sale = await this.saleFacts(saleId);
    if (!sale || sale.store_id !== storeId) throw notFound('Flash sale');
    await this.end(saleId, `merchant:${actor.accountId}`);
    return this.view(saleId);
  }

  /**
   * Ends a sale once: what is left in its shards goes back to the SKU (one stock movement). Shards are
   * locked in order, after the sale row: a purchase holding a shard finishes first, and an expiry
   * giving a unit back (which holds the sale row for share) either lands before or goes to the SKU.
   */
  async end(saleId: string, actor: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<{ sku_id: string }>`
        update flash_sales set status = 'ended', ended_at = ${now}
        where id = ${saleId} and status = 'running' returning sku_id`.execute(trx);
      const skuId = r.rows[0]?.sku_id;
      if (!skuId) return false;
      const left = await sql<{ n: number }>`
        with locked as materialized (
          select sale_id, shard, remaining from flash_sale_shards where sale_id = ${saleId} order by shard for update
        ), zeroed as (
          update flash_sale_shards s set remaining = 0 from locked l
          where s.sale_id = l.sale_id and s.shard = l.shard
        )
        select coalesce(sum(remaining), 0)::int as n from locked`.execute(trx);
      const n = left.rows[0]?.n ?? 0;
      if (n > 0)
        await releaseStock(trx, [{ skuId, quantity: n }], {
          actor,
          at: now,
          reason: 'flash_sale_ended',
          ref: saleId,
        });
      await sql`update flash_sales set returned_units = ${n} where id = ${saleId}`.execute(trx);
      return true;
    });
    if (ended) this.publishNow(await this.view(saleId));
    return ended;
  }

  /** Sales past their end, ended (the worker's task). Returns how many. */
  async endDue(now: Date = this.deps.clock.now()): Promise<number> {
    const due = await sql<{ id: string }>`
      select id from flash_sales where status = 'running' and ends_at <= ${now} order by ends_at limit 50`.execute(
      this.deps.db,
    );
    let n = 0;
    for (const { id } of due.rows) if (await this.end(id, 'system:flash-sale-ended')) n += 1;
    return n;
  }

  // ---- buyer ----

  async get(saleId: string): Promise<FlashSaleView> {
    return this.view(saleId);
  }

  /**
   * Buys one unit: in one transaction the Idempotency-Key, a unit from a shard (SKIP LOCKED first, so
   * buyers spread over the shards; waiting on one only when every shard with units is busy), the
   * buyer's claim (at most the limit), the order (orders' held-order seam) and the claim row. 409
   * `sold_out`, `limit_reached`, `not_started`, `ended`; nothing is written then.
   */
  async purchase(
    actor: Actor,
    saleId: string,
    idempotencyKey: string,
    body: PurchaseBody,
    attribution?: Attribution,
  ): Promise<{ body: PurchaseAnswer; replayed: boolean }> {
    assertBuyer(actor);
    const { clock } = this.deps;
    const sale = await this.saleFacts(saleId);
    if (!sale) throw notFound('Flash sale');
    const now = clock.now();
    const hash = requestHash({ saleId, ...body });
    const refusal =
      now.getTime() < new Date(sale.starts_at).getTime()
        ? conflict('not_started', 'This flash sale has not started yet', {
            startsAt: new Date(sale.starts_at),
          })
        : sale.status === 'ended' || now.getTime() >= new Date(sale.ends_at).getTime()
          ? conflict('ended', 'This flash sale has ended')
          : this.knownSoldOut(saleId)
            ? soldOut()
            : null;
    if (refusal) {
      // A retry of a purchase that went through gets its order back, even once the sale is over or sold out.
      if (refusal.code === 'sold_out' && !this.mayHaveBought(saleId, actor.accountId)) throw refusal;
      const prior = await this.storedAnswer(actor.accountId, idempotencyKey, hash);
      if (prior) return { body: prior, replayed: true };
      throw refusal;
    }
    const generation = this.generation;
    const input: HeldOrderInput = {
      holder: FLASH_HOLDER,
      holdId: saleId,
      buyerId: actor.accountId,
      storeId: sale.store_id,
      sku: {
        skuId: sale.sku_id,
        productId: sale.product_id,
        title: sale.title,
        size: sale.size,
        color: sale.color,
        image: sale.image,
      },
      unitPriceFen: Number(sale.price_fen),
      quantity: 1,
      address: body.address,
      attribution: sale.session_id
        ? { channel: 'live', impressionId: null, contentId: sale.session_id }
        : (attribution ?? { channel: 'direct', impressionId: null, contentId: null }),
      now,
    };
    const offset = Math.floor(Math.random() * sale.shards);
    let got: Bought;
    try {
      got = await retryOnDeadlock(() =>
        this.buy(sale, actor.accountId, idempotencyKey, hash, input, offset, true),
      );
      if (got.kind === 'busy')
        got = await retryOnDeadlock(() =>
          this.buy(sale, actor.accountId, idempotencyKey, hash, input, offset, false),
        );
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const message = (err as { message?: string }).message ?? '';
      if (code === 'GF001' && message.includes('limit_reached'))
        throw conflict('limit_reached', 'You have bought as many as this flash sale allows', {
          perBuyerLimit: sale.per_buyer_limit,
        });
      // A parallel request with the same key committed first: its answer is the answer.
      if (code === '23505' && message.includes('idempotency_keys')) got = { kind: 'replay' };
      else throw err;
    }
    if (got.kind === 'replay')
      return { body: await this.replay(actor.accountId, idempotencyKey, hash), replayed: true };
    if (got.kind === 'bought') {
      this.changed(saleId);
      return { body: got.answer, replayed: false };
    }
    // Sold out, or ended a moment ago (its shards were emptied): say which.
    const fresh = await this.saleFacts(saleId, true);
    if (fresh && saleStatus(fresh, this.deps.clock.now()) === 'ended')
      throw conflict('ended', 'This flash sale has ended');
    this.markSoldOut(saleId, generation);
    throw soldOut();
  }

  /** The answer stored under this buyer's Idempotency-Key, if a purchase with it went through. */
  private async storedAnswer(buyerId: string, key: string, hash: string): Promise<PurchaseAnswer | null> {
    const r = await sql<{ n: number }>`
      select 1 as n from idempotency_keys
      where account_id = ${buyerId} and scope = 'flash-purchase' and key = ${key}`.execute(this.deps.db);
    return r.rows.length > 0 ? this.replay(buyerId, key, hash) : null;
  }

  /**
   * The purchase in ONE statement (autocommit: no lock outlives it): unless the key was used, a unit
   * from a shard (SKIP LOCKED from a random shard on; or waiting, in shard order: a scan keeps the
   * lock of a row whose last unit went meanwhile, so waiting scans must all go the same way), the
   * buyer's claim (the unique row, +1 up to the limit; over it the statement raises and nothing
   * stays), the order (orders' held-order CTEs), the claim row and the Idempotency-Key with its answer.
   * A parallel duplicate of the key fails on the key's primary key and replays.
   */
  private async buy(
    sale: SaleRow,
    buyerId: string,
    key: string,
    hash: string,
    input: HeldOrderInput,
    offset: number,
    skipLocked: boolean,
  ): Promise<Bought> {
    const { ctes, order } = this.deps.orders.heldOrderSql(input, 'buyer');
    const answer = {
      saleId: sale.id,
      orderId: order.orderId,
      checkoutId: order.checkoutId,
      totalFen: order.totalFen,
      expiresAt: order.expiresAt.toISOString(),
    };
    const statement = sql<{
      replay: boolean;
      order_no: string | null;
      any_left: boolean;
      refused: boolean | null;
    }>`
      with prior as (
        select 1 from idempotency_keys where account_id = ${buyerId} and scope = 'flash-purchase' and key = ${key}
      ), pick as (
        select sale_id, shard from flash_sale_shards
        where sale_id = ${sale.id} and remaining > 0 and not exists (select 1 from prior)
        order by ${skipLocked ? sql`(shard + ${offset}::int) % ${sale.shards}::int` : sql`shard`}
        limit 1 for update ${skipLocked ? sql`skip locked` : sql``}
      ), taken as (
        update flash_sale_shards s set remaining = s.remaining - 1
        from pick p where s.sale_id = p.sale_id and s.shard = p.shard and s.remaining > 0
        returning s.shard
      ), buyer as (
        insert into flash_sale_buyers (sale_id, buyer_id, claimed)
        select ${sale.id}, ${buyerId}, 1 where exists (select 1 from taken)
        on conflict (sale_id, buyer_id) do update set claimed = flash_sale_buyers.claimed + 1
        where flash_sale_buyers.claimed < ${sale.per_buyer_limit}::int
        returning claimed
      ), ${ctes}, claimed as (
        insert into flash_sale_claims (order_id, sale_id, buyer_id, shard, quantity, claimed_at)
        select o.id, ${sale.id}, ${buyerId}, t.shard, 1, ${input.now} from held_order o cross join taken t
      ), keyed as (
        insert into idempotency_keys (account_id, scope, key, request_hash, status_code, response, created_at)
        select ${buyerId}, 'flash-purchase', ${key}, ${hash}, 201,
               ${JSON.stringify(answer)}::jsonb || jsonb_build_object('orderNo', o.order_no), ${input.now}
        from held_order o
      )
      select exists (select 1 from prior) as replay,
             (select order_no from held_order) as order_no,
             exists (select 1 from flash_sale_shards where sale_id = ${sale.id} and remaining > 0) as any_left,
             case when exists (select 1 from taken) and not exists (select 1 from buyer)
                  then flash_refused('limit_reached') end as refused`;
    preparePurchase(statement.compile(this.deps.db).sql);
    const r = await statement.execute(this.deps.db);
    const row = r.rows[0];
    if (!row || row.replay) return { kind: 'replay' };
    if (row.order_no) return { kind: 'bought', answer: { ...answer, orderNo: row.order_no } };
    return { kind: row.any_left ? 'busy' : 'sold_out' };
  }

  /** The answer stored under an Idempotency-Key (a retry, or a parallel duplicate that lost the race). */
  private async replay(buyerId: string, key: string, hash: string): Promise<PurchaseAnswer> {
    const r = await sql<{ request_hash: string; response: PurchaseAnswer }>`
      select request_hash, response from idempotency_keys
      where account_id = ${buyerId} and scope = 'flash-purchase' and key = ${key}`.execute(this.deps.db);
    const row = r.rows[0];
    if (!row) throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
    if (row.request_hash !== hash)
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request',
      );
    return row.response;
  }

  // ---- orders' stock holder ----

  /**
   * Flash orders closing unpaid (expired, cancelled) or refunded before shipping, in orders'
   * transaction: their units go back to their sale's shards while it runs (the sale row held for
   * share, so an `end` waits or came first), and the buyer may buy again; units of ended sales are
   * returned for orders to give to the SKU. Once per order (orders' hold row and `returned_at`).
   */
  async takeBack(trx: Db, units: HeldUnits[], cause: StockCause): Promise<HeldUnits[]> {
    if (units.length === 0) return [];
    const saleIds = [...new Set(units.map((u) => u.holdId))];
    const running = await sql<{ id: string }>`
      select id from flash_sales where id = any(${saleIds}::uuid[]) and status = 'running' order by id for share`.execute(
      trx,
    );
    const runningIds = new Set(running.rows.map((r) => r.id));
    const claims = await sql<{
      order_id: string;
      sale_id: string;
      shard: number;
      buyer_id: string;
      quantity: number;
    }>`
      update flash_sale_claims set returned_at = ${cause.at}
      where order_id = any(${units.map((u) => u.orderId)}::uuid[]) and returned_at is null
      returning order_id, sale_id, shard, buyer_id, quantity`.execute(trx);
    const back = claims.rows.filter((c) => runningIds.has(c.sale_id));
    if (back.length > 0) {
      // Shards first, then buyers: the order a purchase takes them in.
      await sql`
        with t as (
          select sale_id, shard, sum(q)::int as q
          from unnest(${back.map((c) => c.sale_id)}::uuid[], ${back.map((c) => c.shard)}::int[],
                      ${back.map((c) => c.quantity)}::int[]) as v(sale_id, shard, q)
          group by sale_id, shard
        ), locked as materialized (
          select s.sale_id, s.shard from flash_sale_shards s join t using (sale_id, shard)
          order by s.sale_id, s.shard for update of s
        )
        update flash_sale_shards s set remaining = s.remaining + t.q
        from t join locked l using (sale_id, shard)
        where s.sale_id = t.sale_id and s.shard = t.shard`.execute(trx);
      await sql`
        with t as (
          select sale_id, buyer_id, sum(q)::int as q
          from unnest(${back.map((c) => c.sale_id)}::uuid[], ${back.map((c) => c.buyer_id)}::uuid[],
                      ${back.map((c) => c.quantity)}::int[]) as v(sale_id, buyer_id, q)
          group by sale_id, buyer_id
        ), locked as materialized (
          select b.sale_id, b.buyer_id from flash_sale_buyers b join t using (sale_id, buyer_id)
          order by b.sale_id, b.buyer_id for update of b
        )
        update flash_sale_buyers b set claimed = greatest(0, b.claimed - t.q)
        from t join locked l using (sale_id, buyer_id)
        where b.sale_id = t.sale_id and b.buyer_id = t.buyer_id`.execute(trx);
      // Every process's sold-out marker goes (others hear it when this transaction commits).
      for (const id of new Set(back.map((c) => c.sale_id))) {
        await this.deps.notifications.notify(trx, UNITS_BACK, id);
        this.changed(id);
      }
    }
    const keptByTheSale = new Set(back.map((c) => c.order_id));
    return units.filter((u) => !keptByTheSale.has(u.orderId));
  }

  // ---- views and room messages ----

  async view(saleId: string): Promise<FlashSaleView> {
    const [row] = await this.rows(sql`f.id = ${saleId}`);
    if (!row) throw notFound('Flash sale');
    return this.toView(row);
  }

  private async rows(where: ReturnType<typeof sql>) {
    const r = await sql<SaleRow & { remaining: number; orders: number }>`
      select f.*,
             (select coalesce(sum(remaining), 0)::int from flash_sale_shards s where s.sale_id = f.id) as remaining,
             (select count(*)::int from flash_sale_claims c where c.sale_id = f.id and c.returned_at is null) as orders
      from flash_sales f where ${where} order by f.created_at desc limit 100`.execute(this.deps.db);
    return r.rows;
  }

  private toView(r: SaleRow & { remaining: number; orders: number }): FlashSaleView {
    return {
      id: r.id,
      storeId: r.store_id,
      sessionId: r.session_id,
      skuId: r.sku_id,
      productId: r.product_id,
      title: r.title,
      image: r.image,
      size: r.size,
      color: r.color,
      priceFen: Number(r.price_fen),
      listPriceFen: Number(r.list_price_fen),
      units: r.units,
      remaining: r.remaining,
      orders: r.orders,
      perBuyerLimit: r.per_buyer_limit,
      status: saleStatus(r, this.deps.clock.now()),
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
    };
  }

  /** The sale's facts (cached: only its status changes, and once); `fresh` reads the row again. */
  private async saleFacts(saleId: string, fresh = false): Promise<SaleRow | null> {
    const known = this.facts.get(saleId);
    if (known && !fresh && known.status === 'running') return known;
    if (known?.status === 'ended') return known;
    const r = await sql<SaleRow>`select * from flash_sales where id = ${saleId}`.execute(this.deps.db);
    const row = r.rows[0];
    if (!row) return null;
    if (this.facts.size > 10_000) this.facts.clear();
    this.facts.set(saleId, row);
    return row;
  }

  /** Something changed on the sale: one room message within PUBLISH_EVERY_MS, whatever the number of changes. */
  private changed(saleId: string): void {
    if (this.stopped || this.timers.has(saleId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(saleId);
      if (this.stopped) return;
      this.view(saleId).then(
        (v) => this.publishNow(v),
        (err) => this.deps.log.warn({ err, saleId }, 'flash sale message not sent'),
      );
    }, PUBLISH_EVERY_MS);
    timer.unref?.();
    this.timers.set(saleId, timer);
  }

  private publishNow(v: FlashSaleView): void {
    if (!v.sessionId) return;
    if (v.status === 'ended') {
      this.facts.delete(v.id);
      this.forgetSoldOut(v.id);
    }
    this.deps.realtime.publish(`live:${v.sessionId}`, {
      type: 'flash',
      saleId: v.id,
      skuId: v.skuId,
      productId: v.productId,
      title: v.title,
      priceFen: v.priceFen,
      listPriceFen: v.listPriceFen,
      units: v.units,
      remaining: v.remaining,
      orders: v.orders,
      status: v.status,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * Runs a transaction again (at most 3 times) when PostgreSQL broke a deadlock by aborting it: the
 * purchase's locks are taken in one order (shard, then buyer), so this is a safety net, not the plan.
 */
async function retryOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

/**
 * The purchase statement's text (every value a parameter; a handful of variants: skip locked or not,
 * orders' subscribers) declared a named prepared statement on first sight: PostgreSQL parses and
 * plans it once per connection and each purchase sends only its parameters (platform/prepared.ts).
 */
const purchaseTexts = new Set<string>();
function preparePurchase(text: string): void {
  if (purchaseTexts.has(text) || purchaseTexts.size >= 16 || preparedNameOf(text) !== undefined) return;
  purchaseTexts.add(text);
  preparedStatement(`flashsales.purchase.${purchaseTexts.size}`, text);
}

function soldOut() {
  return conflict('sold_out', 'This flash sale is sold out');
}
