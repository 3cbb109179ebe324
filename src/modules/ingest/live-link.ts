import type { Actor } from '../../platform/auth.ts';

/**
 * What the ingest needs of the live module's service (`live`, LiveService; see docs/LIVE.md): a
 * structural view, so the ingest compiles against the contract whatever else that service has.
 */
export interface LiveSessionView {
  id: string;
  storeId: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  pinnedProductId?: string | null;
  productIds?: string[];
  /** The secret stream key, when the service's summary carries it. */
  streamKey?: string;
}

export interface LiveLink {
  getSession(id: string): Promise<LiveSessionView | null>;
  sessionByStreamKey(key: string): Promise<LiveSessionView | null>;
  /** The session's stream key, when the service offers it apart from the summary. */
  streamKeyOf?(id: string): Promise<string | null>;
  /** The merchant's own session (404/403 otherwise), with its stream key. */
  merchantSession?(actor: Actor, id: string): Promise<{ session: { streamKey: string } }>;
}

/** Sessions a publisher may stream into: before the start (to check the picture) and while live. */
export function acceptsPublisher(status: LiveSessionView['status']): boolean {
  return status === 'scheduled' || status === 'live';
}
