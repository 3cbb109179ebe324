import { randomBytes, randomUUID } from 'node:crypto';

/** Primary keys: random UUIDs, generated in the application so a retry can reuse them. */
export function newId(): string {
  return randomUUID();
}

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
