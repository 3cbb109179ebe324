import pino, { type DestinationStream, type Logger } from 'pino';

// Mainland mobile numbers (11 digits, 1[3-9]…, maybe after +86), not inside a longer run of digits.
const PHONE = /(?<!\d)((?:\+?86)?1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

/** Every phone number in `text` masked as 138****0000. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, '$1****$2');
}

/** Masks phones in the message and in the top-level text fields of a log call's object. */
function maskArgs(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === 'string') return maskPhones(arg);
    if (arg === null || typeof arg !== 'object' || arg instanceof Error || Array.isArray(arg)) return arg;
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(arg)) {
      if (typeof value !== 'string') continue;
      const masked = maskPhones(value);
      if (masked === value) continue;
      copy ??= { ...(arg as Record<string, unknown>) };
      copy[key] = masked;
    }
    return copy ?? arg;
  });
}

/** How often a buffered log line is written at the latest when traffic is too low to fill the buffer. */
const FLUSH_EVERY_MS = 1_000;

/**
 * The server's logger; phone numbers never reach it in full. `destination` defaults to stdout,
 * written asynchronously: lines are buffered and written in chunks of at least 4 KB (or every
 * second), so per-request logging at info level costs a string build, not a write per line. The
 * buffer is flushed on exit (pino's exit hook) and by `flushLogger` on shutdown and fatal errors.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization'],
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskArgs(args) as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    // flush() throws while the stream is still opening or after it ended: the next tick retries.
    try {
      stdout.flush();
    } catch {}
  }, FLUSH_EVERY_MS).unref();
  return pino(options, stdout);
}

/** Writes out what the logger buffered, synchronously (before `process.exit`). */
export function flushLogger(log: Logger): void {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { flushSync?: () => void }
    | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // nothing buffered, or the stream is gone: nothing to lose
  }
}
