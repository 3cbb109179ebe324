/** How many shard rows a sale of `units` gets: enough that concurrent buyers rarely meet, never more than units. */
export const MAX_SHARDS = 32;

export function shardCount(units: number): number {
  return Math.max(1, Math.min(MAX_SHARDS, units));
}

/** `units` spread over `shards` rows as evenly as possible (the first rows get one more). */
export function splitUnits(units: number, shards: number): number[] {
  const base = Math.floor(units / shards);
  const extra = units % shards;
  return Array.from({ length: shards }, (_, i) => base + (i < extra ? 1 : 0));
}

/** What a sale shows at `now`: running sales before their start are scheduled, after their end ended. */
export function saleStatus(
  row: { status: 'running' | 'ended'; starts_at: Date | string; ends_at: Date | string },
  now: Date,
): 'scheduled' | 'running' | 'ended' {
  if (row.status === 'ended') return 'ended';
  if (now.getTime() >= new Date(row.ends_at).getTime()) return 'ended';
  if (now.getTime() < new Date(row.starts_at).getTime()) return 'scheduled';
  return 'running';
}
