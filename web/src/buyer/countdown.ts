/** The time left until `expiresAt`, as mm:ss (whole seconds, rounded up); null once it has passed. */
export function timeLeft(expiresAt: string, nowMs: number): string | null {
  const ms = Date.parse(expiresAt) - nowMs;
  if (!(ms > 0)) return null;
  const seconds = Math.ceil(ms / 1000);
  const mm = Math.floor(seconds / 60);
  const ss = seconds % 60;
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}
