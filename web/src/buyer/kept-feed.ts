/**
 * The feed as the buyer last saw it, kept for back navigation, and whose it was: a different account
 * (signed out, or another account signed in) never gets the previous one's cards back.
 */
export interface Kept<T> {
  /** The signed-in account's id, or null when signed out. */
  owner: string | null;
  state: T;
}

/** The kept state to show again: only on back/forward navigation and only for the same viewer. */
export function keptFor<T>(kept: Kept<T> | null, owner: string | null, backOrForward: boolean): T | null {
  if (!kept || !backOrForward || kept.owner !== owner) return null;
  return kept.state;
}
