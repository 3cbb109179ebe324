import pino from 'pino';
import { accountsWithPhones } from '../modules/identity/index.ts';
import { storesOwnedBy } from '../modules/merchants/index.ts';
import type { Actor } from '../platform/auth.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import { DEMO_ORDERS } from './demo-orders.ts';
import { buildDemoWorld, type DemoWorld } from './demo-world.ts';
import { type ComposeForSeed, type SeedExtension, type SeededData, seedExtensions } from './extensions.ts';
import { buildSeedPlan, buyerPhone, merchantPhone, OPERATOR_PHONE, PRODUCT_COUNT } from './plan.ts';
import { Rng } from './prng.ts';
import { seedProgress } from './progress.ts';
import { SEED_FINISHED, SeedSteps } from './steps.ts';

export type { ComposeForSeed, SeedContext, SeedExtension, SeededData, SeedServices } from './extensions.ts';
export { buildSeedPlan } from './plan.ts';
export { type SeedState, seedOnStart, seedState } from './steps.ts';

export interface SeedOptions {
  progress: boolean;
  /**
   * Wires the modules' services (the app's `buildApp`, passed in by the caller: the seed never imports
   * the app). Called once, over the seed's database handle and clock.
   */
  compose: ComposeForSeed;
  /** Steps to run after the catalog; defaults to the registered `seedExtensions`. */
  extensions?: SeedExtension[];
  /** Products in all (300 by default). */
  products?: number;
  /** Demo orders in all (80 by default). */
  orders?: number;
  /** Whether to make the demo short videos with ffmpeg (default true; tests that seed often say false). */
  videos?: boolean;
  /**
   * Called after each step (or part of a step) is recorded as finished, with its name. A throw
   * stops the seed there, as a crash would: the recorded steps stay, the next run resumes after them.
   */
  onStepFinished?: (name: string) => void | Promise<void>;
}

export interface SeedResult {
  /** Lines for the console, like `merchant  13700000001  (衣橱小铺 apparel)`. */
  accounts: string[];
  /** null when the demo data was already there and nothing was added. */
  data: SeededData | null;
}

/** What the first step records, so a resumed seed builds the same data as the one it continues. */
interface SeedRun {
  seed: number;
  products: number;
  orders: number;
  /** The seed's present (ms): history is laid out before it, the same on every resume. */
  now: number;
}

/** One named step: its writes and its record commit together (or it is safe to repeat, `resumable`). */
interface Step {
  name: string;
  /** Its share of the progress bar. */
  weight: number;
  resumable?: boolean;
  run(): Promise<unknown>;
  /** Takes what the step created (just now, or in an earlier, interrupted run) for later steps. */
  use?(result: unknown): void;
}

const DAY = 24 * 3600_000;
/** Products are created in batches: one transaction and three INSERTs each. */
const BATCH = 25;

/**
 * Loads the demo marketplace: an operator, ten stores (seven apparel with size charts, three food)
 * with about 300 products, twenty buyers, then the extensions (size profiles, orders). Everything
 * but ids and timestamps follows from `config.seed`. It runs as named steps recorded in
 * `seed_steps`: a run after an interrupted one does only the steps that did not finish and ends with
 * the same data. Does nothing when the demo data is complete, or when demo accounts exist from a
 * seed that recorded no steps.
 */
export async function seedDemoData(db: Db, config: Config, opts: SeedOptions): Promise<SeedResult> {
  const steps = await SeedSteps.load(db, opts.onStepFinished);
  if (steps.has(SEED_FINISHED) || (steps.size === 0 && (await demoAlreadySeeded(db))))
    return { accounts: await demoAccountLines(db), data: null };

  const PLAN = 'plan';
  const run = steps.has(PLAN)
    ? steps.result<SeedRun>(PLAN)
    : await steps.runInTransaction<SeedRun>(PLAN, async () => ({
        seed: config.seed,
        products: opts.products ?? PRODUCT_COUNT,
        orders: opts.orders ?? DEMO_ORDERS,
        now: Date.now(),
      }));
  const plan = buildSeedPlan(run.seed, run.products);
  // History unfolds over the last 60 days: stores open, then products appear one batch at a time.
  const start = run.now - 60 * DAY;
  const clock = new ManualClock(new Date(start));
  // One composition for the whole seed, over the steps' handle: a step's writes join its transaction.
  // The sandbox payment provider answers at once and never fails, so the demo history is the same
  // on every run.
  const composed = await opts.compose({
    config: { ...config, sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } },
    db: steps.db,
    log: pino({ level: 'silent' }),
    clock,
  });
  const { services } = composed;

  const data: SeededData = {
    operator: { accountId: '', phone: OPERATOR_PHONE },
    merchants: [],
    buyers: [],
    products: [],
  };
  const list: Step[] = [];
  list.push({
    name: 'operator',
    weight: 1,
    run: async () => {
      clock.set(new Date(start));
      const accountId = await services.identity.provision(OPERATOR_PHONE, 'operator', '平台运营');
      return { accountId, phone: OPERATOR_PHONE };
    },
    use: (r) => {
      data.operator = r as SeededData['operator'];
    },
  });
  plan.stores.forEach((store, i) => {
    list.push({
      name: `store ${i + 1}`,
      weight: 1,
      run: async () => {
        clock.set(new Date(start + i * DAY));
        const { identity, merchants } = services;
        const accountId = await identity.provision(store.phone, 'merchant', `${store.def.name}店主`);
        const opened = await merchants.openStore(
          { accountId, role: 'merchant', phone: store.phone, storeId: null },
          { name: store.def.name, description: store.def.description, businessType: store.def.businessType },
        );
        return {
          accountId,
          phone: store.phone,
          storeId: opened.id,
          storeName: opened.name,
          businessType: opened.businessType,
        };
      },
      use: (r) => void data.merchants.push(r as SeededData['merchants'][number]),
    });
  });
  list.push({
    name: 'buyers',
    weight: plan.buyers.length,
    run: async () => {
      clock.set(new Date(start + plan.stores.length * DAY));
      const { identity } = services;
      const buyers: SeededData['buyers'] = [];
      for (const buyer of plan.buyers)
        buyers.push({
          accountId: await identity.provision(buyer.phone, 'buyer', buyer.nickname),
          phone: buyer.phone,
        });
      return buyers;
    },
    use: (r) => void data.buyers.push(...(r as SeededData['buyers'])),
  });

  // Interleave the stores' products so the newest-first feed mixes stores, as it would live.
  const queue = plan.stores.flatMap((store, s) => store.products.map((product, k) => ({ s, k, product })));
  queue.sort((a, b) => a.k - b.k || a.s - b.s);
  const batches = Math.ceil(queue.length / BATCH);
  const batchStep = (45 * DAY) / Math.max(1, batches);
  for (let b = 0; b < batches; b++) {
    const batch = queue.slice(b * BATCH, (b + 1) * BATCH);
    list.push({
      name: `products ${b + 1}/${batches}`,
      weight: batch.length,
      run: async () => {
        clock.set(new Date(start + plan.stores.length * DAY + b * batchStep));
        const { catalog } = services;
        const products: SeededData['products'] = [];
        for (const [s, merchant] of data.merchants.entries()) {
          const mine = batch.filter((q) => q.s === s).map((q) => q.product);
          if (mine.length === 0) continue;
          const actor: Actor = {
            accountId: merchant.accountId,
            role: 'merchant',
            phone: merchant.phone,
            storeId: merchant.storeId,
          };
          const created = await catalog.createProducts(actor, mine);
          created.forEach((c, j) => {
            const input = mine[j];
            products.push({
              id: c.id,
              storeId: merchant.storeId,
              categoryId: input?.categoryId ?? '',
              apparel: Boolean(input?.sizeChart),
              skuIds: c.skuIds,
            });
          });
        }
        return products;
      },
      use: (r) => void data.products.push(...(r as SeededData['products'])),
    });
  }

  const progress = seedProgress(opts.progress);
  // Built once the buyers and products exist (created now, or by an earlier, interrupted run).
  let world: DemoWorld | undefined;
  const demoWorld = () => {
    world ??= buildDemoWorld(
      run.seed,
      data.buyers.length,
      data.products.map((p) => p.storeId),
    );
    return world;
  };
  for (const [n, ext] of (opts.extensions ?? seedExtensions).entries()) {
    list.push({
      name: ext.name,
      weight: 1,
      ...(ext.resumable ? { resumable: true } : {}),
      run: () =>
        ext.run({
          services,
          events: composed.events,
          clock,
          config,
          rng: new Rng(run.seed * 7919 + n + 1),
          data,
          world: demoWorld(),
          now: new Date(run.now),
          orders: run.orders,
          videos: opts.videos ?? true,
          steps,
          tick: (label) => progress.note(label),
        }),
    });
  }
  list.push({ name: SEED_FINISHED, weight: 0, run: async () => null });

  const total = list.reduce((sum, step) => sum + step.weight, 0);
  const done = list.filter((step) => steps.has(step.name)).reduce((sum, step) => sum + step.weight, 0);
  progress.start(total, done);
  try {
    for (const step of list) {
      if (steps.has(step.name)) {
        step.use?.(steps.result(step.name));
        continue;
      }
      const result = step.resumable
        ? await steps.runResumable(step.name, () => step.run())
        : await steps.runInTransaction(step.name, () => step.run());
      step.use?.(JSON.parse(JSON.stringify(result ?? null)));
      progress.advance(step.weight, step.name);
    }
    // What the steps published reaches its subscribers now (sales counts, figures, what sizing learns),
    // not only once a server's worker starts.
    for (let round = 0; round < 10_000 && (await composed.events.runOnce()) > 0; round += 1) {}
  } finally {
    progress.stop();
    await composed.stop();
    await composed.app.close();
  }
  return { accounts: await demoAccountLines(db), data };
}

async function demoAlreadySeeded(db: Db): Promise<boolean> {
  return (await accountsWithPhones(db, [merchantPhone(1)])).length > 0;
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
  const accounts = await accountsWithPhones(db, phones);
  const stores = await storesOwnedBy(
    db,
    accounts.map((a) => a.id),
  );
  const rank = { operator: 0, merchant: 1, buyer: 2 } as const;
  return accounts
    .sort((a, b) => rank[a.role] - rank[b.role] || a.phone.localeCompare(b.phone))
    .map((a) => {
      const role = a.role.padEnd(9);
      const store = stores.get(a.id);
      return store ? `${role} ${a.phone}  (${store.name} ${store.businessType})` : `${role} ${a.phone}`;
    });
}
