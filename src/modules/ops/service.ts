import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { type AnySubscriber, subscriber } from '../../platform/events.ts';
import type { overviewSchema } from './routes.ts';

/** What the overview needs from the modules that own the other figures. */
export interface OpsFigureSources {
  storeCount(): Promise<number>;
  buyerCount(): Promise<number>;
  productCount(): Promise<number>;
}

export interface OpsDeps {
  db: Db;
  sources: OpsFigureSources;
}

export type Overview = z.infer<typeof overviewSchema>;

type Fact = 'placed' | 'paid' | 'cancelled_after_paid';
interface FigureRow {
  placed: boolean;
  paid: boolean;
  cancelled_after_paid: boolean;
  total_fen: number | string;
}

/** What one order adds to the overview's totals. */
function counted(row: FigureRow) {
  const sold = row.paid && !row.cancelled_after_paid;
  return { orders: row.placed ? 1 : 0, paidOrders: sold ? 1 : 0, gmvFen: sold ? Number(row.total_fen) : 0 };
}

/**
 * The operators' overview. Order figures follow the orders' events into running totals (the overview
 * reads 16 rows, whatever the number of orders); stores, buyers and products are counted by the
 * modules that own them.
 */
export class OpsService {
  constructor(private readonly deps: OpsDeps) {}

  /**
   * Each order once per fact heard: its row of flags is locked, changed, and the running totals move
   * by the difference (none when the fact was heard before), in one transaction.
   */
  subscribers(): AnySubscriber[] {
    const heard = (orderId: string, fact: Fact, totalFen?: number) => this.hear(orderId, fact, totalFen);
    return [
      subscriber('ops.count-orders', 'order.placed', (e) => heard(e.orderId, 'placed', e.totalFen)),
      subscriber('ops.count-paid-orders', 'order.paid', (e) => heard(e.orderId, 'paid', e.totalFen)),
      subscriber('ops.uncount-paid-orders', 'order.cancelled', async (e) => {
        if (e.wasPaid) await heard(e.orderId, 'cancelled_after_paid');
      }),
      subscriber('ops.uncount-refunded-orders', 'order.refunded', (e) =>
        heard(e.orderId, 'cancelled_after_paid'),
      ),
    ];
  }

  private hear(orderId: string, fact: Fact, totalFen?: number): Promise<void> {
    return this.deps.db.transaction().execute(async (trx) => {
      await sql`insert into ops_order_figures (order_id) values (${orderId}) on conflict do nothing`.execute(
        trx,
      );
      const before = (
        await sql<FigureRow>`select placed, paid, cancelled_after_paid, total_fen from ops_order_figures
          where order_id = ${orderId} for update`.execute(trx)
      ).rows[0] as FigureRow;
      const after: FigureRow = { ...before, [fact]: true, total_fen: totalFen ?? before.total_fen };
      await sql`update ops_order_figures set ${sql.ref(fact)} = true, total_fen = ${after.total_fen}
        where order_id = ${orderId}`.execute(trx);
      const [was, is] = [counted(before), counted(after)];
      if (is.orders === was.orders && is.paidOrders === was.paidOrders && is.gmvFen === was.gmvFen) return;
      await sql`update ops_order_totals set orders = orders + ${is.orders - was.orders},
          paid_orders = paid_orders + ${is.paidOrders - was.paidOrders}, gmv_fen = gmv_fen + ${is.gmvFen - was.gmvFen}
        where slot = hashtext(${orderId}::text) & 15`.execute(trx);
    });
  }

  async overview(): Promise<Overview> {
    const { db, sources } = this.deps;
    const [merchants, buyers, products, orders] = await Promise.all([
      sources.storeCount(),
      sources.buyerCount(),
      sources.productCount(),
      sql<{ orders: number; paid_orders: number; gmv_fen: string | number }>`
        select sum(orders)::int as orders, sum(paid_orders)::int as paid_orders, sum(gmv_fen)::bigint as gmv_fen
        from ops_order_totals`.execute(db),
    ]);
    const row = orders.rows[0];
    return {
      merchants,
      buyers,
      products,
      orders: row?.orders ?? 0,
      paidOrders: row?.paid_orders ?? 0,
      gmvFen: Number(row?.gmv_fen ?? 0),
    };
  }
}
