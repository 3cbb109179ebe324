import { SingleBar } from 'cli-progress';
import { sql } from 'kysely';
import pino from 'pino';
import { CatalogService } from '../modules/catalog/index.ts';
import { IdentityService } from '../modules/identity/index.ts';
import { MerchantsService } from '../modules/merchants/index.ts';
import type { Actor } from '../platform/auth.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import { type SeedExtension, type SeededData, seedExtensions } from './extensions.ts';
import { buildSeedPlan, buyerPhone, merchantPhone, OPERATOR_PHONE } from './plan.ts';
import { Rng } from './prng.ts';

export type { SeedContext, SeedExtension, SeededData } from './extensions.ts';
export { buildSeedPlan } from './plan.ts';

export interface SeedOptions {
  progress: boolean;
  /** Steps to run after the catalog; defaults to the registered `seedExtensions`. */
  extensions?: SeedExtension[];
  /** Products in all (300 by default). */
  products?: number;
}

export interface SeedResult {
  /** Lines for the console, like `merchant  13700000001  (衣橱小铺 apparel)`. */
  accounts: string[];
  /** null when the demo data was already there and nothing was added. */
  data: SeededData | null;
}

const DAY = 24 * 3600_000;
/** Products are created in batches: one transaction and three INSERTs each. */
const BATCH = 25;

/**
 * Loads the demo marketplace: an operator, ten stores (seven apparel with size charts, three food)
 * with about 300 products, and twenty buyers. Everything but ids and timestamps follows from
 * `config.seed`. Does nothing when the demo accounts already exist.
 */
export async function seedDemoData(db: Db, config: Config, opts: SeedOptions): Promise<SeedResult> {
  if (await demoAlreadySeeded(db)) return { accounts: await demoAccountLines(db), data: null };
  const plan = buildSeedPlan(config.seed, opts.products);
  // History unfolds over the last 60 days: stores open, then products appear one batch at a time.
  const clock = new ManualClock(new Date(Date.now() - 60 * DAY));
  const log = pino({ level: 'silent' });
  const identity = new IdentityService({ db, clock, log, exposeSandboxSmsCode: false });
  const catalog = new CatalogService({ db, clock, dataDir: config.dataDir });
  const merchants = new MerchantsService({ db, clock, productCounts: catalog.productCountsByStore });

  const extensions = opts.extensions ?? seedExtensions;
  const totalProducts = plan.stores.reduce((n, s) => n + s.products.length, 0);
  const steps = 1 + plan.stores.length + plan.buyers.length + totalProducts + extensions.length;
  const bar = opts.progress
    ? new SingleBar({ format: '  seeding demo data [{bar}] {value}/{total} {label}', hideCursor: true })
    : null;
  bar?.start(steps, 0, { label: '' });
  const tick = (label: string, n = 1) => bar?.increment(n, { label });

  try {
    const operatorId = await identity.provision(OPERATOR_PHONE, 'operator', '平台运营');
    tick('operator');
    const data: SeededData = {
      operator: { accountId: operatorId, phone: OPERATOR_PHONE },
      merchants: [],
      buyers: [],
      products: [],
    };
    const actors: Array<Actor & { storeId: string }> = [];
    for (const store of plan.stores) {
      const accountId = await identity.provision(store.phone, 'merchant', `${store.def.name}店主`);
      const opened = await merchants.openStore(
        { accountId, role: 'merchant', phone: store.phone, storeId: null },
        { name: store.def.name, description: store.def.description, businessType: store.def.businessType },
      );
      actors.push({ accountId, role: 'merchant', phone: store.phone, storeId: opened.id });
      data.merchants.push({
        accountId,
        phone: store.phone,
        storeId: opened.id,
        storeName: opened.name,
        businessType: opened.businessType,
      });
      clock.advance(DAY);
      tick(store.def.name);
    }
    for (const buyer of plan.buyers) {
      data.buyers.push({
        accountId: await identity.provision(buyer.phone, 'buyer', buyer.nickname),
        phone: buyer.phone,
      });
      tick('buyers');
    }

    // Interleave the stores' products so the newest-first feed mixes stores, as it would live.
    const queue = plan.stores.flatMap((store, s) => store.products.map((product, k) => ({ s, k, product })));
    queue.sort((a, b) => a.k - b.k || a.s - b.s);
    const step = (45 * DAY) / Math.max(1, Math.ceil(queue.length / BATCH));
    for (let i = 0; i < queue.length; i += BATCH) {
      const batch = queue.slice(i, i + BATCH);
      for (let s = 0; s < actors.length; s++) {
        const mine = batch.filter((b) => b.s === s).map((b) => b.product);
        if (mine.length === 0) continue;
        const actor = actors[s] as Actor & { storeId: string };
        const created = await catalog.createProducts(actor, mine);
        created.forEach((c, j) => {
          const input = mine[j];
          data.products.push({
            id: c.id,
            storeId: actor.storeId,
            categoryId: input?.categoryId ?? '',
            apparel: Boolean(input?.sizeChart),
            skuIds: c.skuIds,
          });
        });
      }
      clock.advance(step);
      tick('products', batch.length);
    }

    for (const [n, ext] of extensions.entries()) {
      await ext.run({
        db,
        config,
        rng: new Rng(config.seed * 7919 + n + 1),
        data,
        tick: (label) => bar?.update({ label }),
      });
      tick(ext.name);
    }
    bar?.stop();
    return { accounts: await demoAccountLines(db), data };
  } catch (err) {
    bar?.stop();
    throw err;
  }
}

async function demoAlreadySeeded(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from accounts where phone = ${merchantPhone(1)}`.execute(db);
  return (row.rows[0]?.n ?? 0) > 0;
}

/**
 * The demo accounts present in the database, one console line each:
 * `operator  13900000000`, `merchant  13700000001  (衣橱小铺 apparel)`, `buyer     13600000001`.
 */
export async function demoAccountLines(db: Db): Promise<string[]> {
  const phones = [
    OPERATOR_PHONE,
    ...Array.from({ length: 10 }, (_, i) => merchantPhone(i + 1)),
    ...Array.from({ length: 20 }, (_, i) => buyerPhone(i + 1)),
  ];
  const rows = await sql<{
    phone: string;
    role: string;
    storeName: string | null;
    businessType: string | null;
  }>`
    select a.phone, a.role, s.name as "storeName", s.business_type as "businessType"
    from accounts a left join stores s on s.owner_account_id = a.id
    where a.phone = any(${phones}::text[])
    order by case a.role when 'operator' then 0 when 'merchant' then 1 else 2 end, a.phone`.execute(db);
  return rows.rows.map((r) => {
    const role = r.role.padEnd(9);
    return r.storeName ? `${role} ${r.phone}  (${r.storeName} ${r.businessType})` : `${role} ${r.phone}`;
  });
}
