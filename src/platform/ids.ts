import { randomBytes, randomUUID } from 'node:crypto';

/** Primary keys: random UUIDs, generated in the application so a retry can reuse them. */
export function newId(): string {
  return randomUUID();
}

/** A human-readable order number: date + random digits, e.g. 20260101-483920117. */
export function newOrderNo(at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  const digits = randomBytes(5).readUIntBE(0, 5) % 1_000_000_000;
  return `${day}-${String(digits).padStart(9, '0')}`;
}

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
