import { SingleBar } from 'cli-progress';

/** How the seed shows its progress: a bar on a terminal, plain lines otherwise (logs, pipes). */
export interface SeedProgress {
  start(total: number, done: number): void;
  /** A step finished (or was found finished): move on by `n`. */
  advance(n: number, label: string): void;
  /** Progress inside a long step (orders 12/80). */
  note(label: string): void;
  stop(): void;
}

/** Inside a step, one line per this many notes when not on a terminal. */
const NOTE_EVERY = 10;

export function seedProgress(enabled: boolean, out: NodeJS.WriteStream = process.stdout): SeedProgress {
  if (!enabled) return { start() {}, advance() {}, note() {}, stop() {} };
  if (out.isTTY) {
    const bar = new SingleBar(
      { format: '  seeding demo data [{bar}] {value}/{total} {label}', hideCursor: true, stream: out },
      undefined,
    );
    return {
      start: (total, done) => bar.start(total, done, { label: '' }),
      advance: (n, label) => bar.increment(n, { label }),
      note: (label) => bar.update({ label }),
      stop: () => bar.stop(),
    };
  }
  let value = 0;
  let total = 0;
  let notes = 0;
  const line = (label: string) => out.write(`  seeding demo data: ${label} (${value}/${total})\n`);
  return {
    start: (t, done) => {
      total = t;
      value = done;
      if (done > 0) line('already done');
    },
    advance: (n, label) => {
      value += n;
      notes = 0;
      line(label);
    },
    note: (label) => {
      if (++notes % NOTE_EVERY === 0) line(label);
    },
    stop: () => {},
  };
}
