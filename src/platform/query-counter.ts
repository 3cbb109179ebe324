import type { Db } from './db.ts';

/**
 * Wraps a database so every SQL statement it sends is counted; for tests and benchmarks that
 * keep hot paths constant in the number of items (no N+1). Counted when its result comes back,
 * so prepared statements (prepared.ts, run as compiled queries, which skip `transformQuery`)
 * count too; a statement that fails is not counted.
 */
export function countQueries(db: Db): { db: Db; count(): number; reset(): void } {
  let n = 0;
  // Counted as results come back: statements built by Kysely and prepared ones (prepared.ts runs
  // compiled text, which skips transformQuery) alike.
  const counted = db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      n += 1;
      return args.result;
    },
  });
  return {
    db: counted,
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}
