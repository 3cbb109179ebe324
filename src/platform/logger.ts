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

/** The server's logger; phone numbers never reach it in full. `destination` defaults to stdout. */
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
  return destination ? pino(options, destination) : pino(options);
}
