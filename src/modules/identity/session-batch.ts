interface Waiter<R> {
  resolve: (row: R | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * The session lookups of requests that arrive together, read in one statement. Every signed-in request
 * whose session is not cached asks the database for it; under load (a flash sale: thousands of buyers
 * at once, each seen for the first time) one round trip for all the lookups of an event-loop turn
 * costs the database and this process far less than one round trip each.
 *
 * `read` gets distinct keys, at most `maxBatch` at a time, and answers what it found; a key it does not
 * answer resolves to undefined. A failed read fails every lookup of its part, each as if it had run alone.
 */
export class LookupBatch<R> {
  private pending = new Map<string, Waiter<R>[]>();
  private scheduled = false;

  constructor(
    private readonly read: (keys: string[]) => Promise<ReadonlyMap<string, R>>,
    private readonly maxBatch = 500,
  ) {}

  get(key: string): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After this turn's I/O callbacks: every request parsed in it has asked by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const part = keys.slice(i, i + this.maxBatch);
      const waiters = (key: string) => batch.get(key) ?? [];
      Promise.resolve()
        .then(() => this.read(part))
        .then(
          (rows) => {
            for (const key of part) for (const w of waiters(key)) w.resolve(rows.get(key));
          },
          (err: unknown) => {
            for (const key of part) for (const w of waiters(key)) w.reject(err);
          },
        );
    }
  }
}
