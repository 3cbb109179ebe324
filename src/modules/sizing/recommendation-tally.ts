import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/**
 * Anonymous recommendations are counted, not logged: a row per anonymous call turned a public,
 * CPU-heavy read into a stream of writes. Each server adds up its calls per UTC day in memory and
 * adds them to `size_recommendation_tally` in one statement: once `flushAt` have piled up, every
 * minute (a worker), before the ops metrics read it, and when the server stops. A crash loses at
 * most that many counts of a metric, never anything a buyer did.
 */
export class RecommendationTally {
  private pending = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly db: Db,
    private readonly flushAt = 100,
  ) {}

  /** Counts one anonymous recommendation shown at `at`; writes only when the batch is full. */
  async add(at: Date): Promise<void> {
    const day = at.toISOString().slice(0, 10);
    this.pending.set(day, (this.pending.get(day) ?? 0) + 1);
    this.count += 1;
    if (this.count >= this.flushAt) await this.flush();
  }

  /** Adds what this server counted so far to the table; returns how many calls it wrote. */
  async flush(): Promise<number> {
    if (this.count === 0) return 0;
    const batch = this.pending;
    const n = this.count;
    this.pending = new Map();
    this.count = 0;
    const days = [...batch.keys()];
    try {
      await sql`
        insert into size_recommendation_tally (day, anonymous)
        select d::date, n from unnest(${days}::text[], ${days.map((d) => batch.get(d) ?? 0)}::int[]) as t(d, n)
        on conflict (day) do update set anonymous = size_recommendation_tally.anonymous + excluded.anonymous`.execute(
        this.db,
      );
    } catch (err) {
      // Not lost: counted again with the next batch.
      for (const [day, k] of batch) this.pending.set(day, (this.pending.get(day) ?? 0) + k);
      this.count += n;
      throw err;
    }
    return n;
  }
}

/** Anonymous recommendations counted on the UTC days in [from, to) (both day-aligned). */
export async function anonymousRecommendations(db: Db, from: Date, to: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select coalesce(sum(anonymous), 0)::int as n from size_recommendation_tally
    where day >= ${from.toISOString().slice(0, 10)}::date and day < ${to.toISOString().slice(0, 10)}::date`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}
