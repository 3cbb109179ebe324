import { sql, type Transaction } from 'kysely';
import { type Db, isEmpty } from '../platform/db.ts';

/** The marker the last step writes: present only when every step before it finished. */
export const SEED_FINISHED = 'finished';

/**
 * The demo seed's record of finished steps (table `seed_steps`). A step's writes and its row commit
 * together (`runInTransaction`), or the step is safe to run again and records itself when done.
 */
export class SeedSteps {
  /** The running step's transaction while `runInTransaction` runs one; else none. */
  private inStep: Db | null = null;
  /**
   * The handle to build the seed's services over: while a step runs in its transaction it is that
   * transaction (services built once write into the step's transaction), otherwise the database.
   */
  readonly db: Db;

  private constructor(
    private readonly database: Db,
    private readonly done: Map<string, unknown>,
    private readonly onRecorded: (name: string) => void | Promise<void>,
  ) {
    this.db = followingDb(database, () => this.inStep ?? database);
  }

  static async load(
    db: Db,
    onRecorded: (name: string) => void | Promise<void> = () => {},
  ): Promise<SeedSteps> {
    const rows = await sql<{ name: string; result: unknown }>`select name, result from seed_steps`.execute(
      db,
    );
    return new SeedSteps(db, new Map(rows.rows.map((r) => [r.name, r.result])), onRecorded);
  }

  /** How many steps are recorded. */
  get size(): number {
    return this.done.size;
  }

  has(name: string): boolean {
    return this.done.has(name);
  }

  /** What the finished step `name` returned. */
  result<T>(name: string): T {
    if (!this.done.has(name)) throw new Error(`seed step "${name}" has not finished`);
    return this.done.get(name) as T;
  }

  /** Records `name` as finished with `result`, in `db` (the step's transaction, when it has one). */
  async record(name: string, result: unknown = null, db: Db = this.database): Promise<void> {
    await sql`
      insert into seed_steps (name, finished_at, result)
      values (${name}, ${new Date()}, ${JSON.stringify(result ?? null)}::jsonb)`.execute(db);
  }

  /**
   * Runs `step` and records it in ONE transaction, so a crash leaves either both or neither. Services
   * built over `this.db` (or given the step's `db`) join that transaction rather than opening their own.
   */
  async runInTransaction<T>(name: string, step: (db: Db) => Promise<T>): Promise<T> {
    if (this.inStep) throw new Error(`seed step "${name}" started inside another step`);
    const result = await this.database.transaction().execute(async (trx) => {
      const joined = joinedTransaction(trx);
      this.inStep = joined;
      try {
        const out = await step(joined);
        await this.record(name, out, trx);
        return out;
      } finally {
        this.inStep = null;
      }
    });
    this.done.set(name, JSON.parse(JSON.stringify(result ?? null)));
    await this.onRecorded(name);
    return result;
  }

  /** For steps that cannot run in one transaction: run `step` (safe to repeat), then record it. */
  async runResumable<T>(name: string, step: () => Promise<T>): Promise<T> {
    const result = await step();
    await this.record(name, result);
    this.done.set(name, JSON.parse(JSON.stringify(result ?? null)));
    await this.onRecorded(name);
    return result;
  }
}

/**
 * `trx` as a database handle whose `transaction()` joins `trx` instead of failing (Kysely has no
 * nested transactions), so a seed step can go through services that open their own.
 */
export function joinedTransaction(trx: Transaction<unknown>): Db {
  const joined = new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => builder;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Db;
  const builder = {
    setIsolationLevel: () => builder,
    setAccessMode: () => builder,
    execute: <T>(fn: (db: Db) => Promise<T>) => fn(joined),
  };
  return joined;
}

/** A handle that forwards every use to `current()`, whichever handle that is at the time. */
function followingDb(base: Db, current: () => Db): Db {
  return new Proxy(base, {
    get(_base, prop) {
      const target = current();
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** `none`: no seed ever ran here; `unfinished`: a seed was interrupted; `finished`: the demo data is complete. */
export type SeedState = 'none' | 'unfinished' | 'finished';

export async function seedState(db: Db): Promise<SeedState> {
  const rows = await sql<{ finished: boolean; any: boolean }>`
    select exists (select 1 from seed_steps where name = ${SEED_FINISHED}) as finished,
           exists (select 1 from seed_steps) as "any"`.execute(db);
  const row = rows.rows[0];
  return row?.finished ? 'finished' : row?.any ? 'unfinished' : 'none';
}

/**
 * What `gravity start` does about demo data: seed a fresh install, resume an interrupted seed, or
 * nothing (demo data complete, or a database with its own data that no seed ever touched).
 */
export async function seedOnStart(db: Db): Promise<'seed' | 'resume' | null> {
  const state = await seedState(db);
  if (state === 'unfinished') return 'resume';
  if (state === 'finished') return null;
  return (await isEmpty(db)) ? 'seed' : null;
}
