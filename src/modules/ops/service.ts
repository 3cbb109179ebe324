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

/**
 * The operators' overview. Order figures follow the orders' events (every order feeds the
 * dashboard); stores, buyers and products are counted by the modules that own them.
 */
export class OpsService {
  constructor(private readonly deps: OpsDeps) {}

  /** Each order once per fact heard: an upsert of its flags, so a redelivery changes nothing. */
  subscribers(): AnySubscriber[] {
    const { db } = this.deps;
    const heard = (orderId: string, fact: 'placed' | 'paid' | 'cancelled_after_paid', totalFen?: number) =>
      sql`insert into ops_order_figures (order_id, ${sql.ref(fact)}, total_fen)
        values (${orderId}, true, ${totalFen ?? 0})
        on conflict (order_id) do update set ${sql.ref(fact)} = true,
          total_fen = case when ${totalFen ?? null}::bigint is null then ops_order_figures.total_fen else excluded.total_fen end`.execute(
        db,
      );
    return [
      subscriber('ops.count-orders', 'order.placed', (e) =>
        heard(e.orderId, 'placed', e.totalFen).then(() => {}),
      ),
      subscriber('ops.count-paid-orders', 'order.paid', (e) =>
        heard(e.orderId, 'paid', e.totalFen).then(() => {}),
      ),
      subscriber('ops.uncount-paid-orders', 'order.cancelled', async (e) => {
        if (e.wasPaid) await heard(e.orderId, 'cancelled_after_paid');
      }),
      subscriber('ops.uncount-refunded-orders', 'order.refunded', (e) =>
        heard(e.orderId, 'cancelled_after_paid').then(() => {}),
      ),
    ];
  }

  async overview(): Promise<Overview> {
    const { db, sources } = this.deps;
    const [merchants, buyers, products, orders] = await Promise.all([
      sources.storeCount(),
      sources.buyerCount(),
      sources.productCount(),
      sql<{ orders: number; paid_orders: number; gmv_fen: string | number }>`
        select count(*) filter (where placed)::int as orders,
               count(*) filter (where paid and not cancelled_after_paid)::int as paid_orders,
               coalesce(sum(total_fen) filter (where paid and not cancelled_after_paid), 0)::bigint as gmv_fen
        from ops_order_figures`.execute(db),
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
