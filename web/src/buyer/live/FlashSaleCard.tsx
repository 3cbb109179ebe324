// Placeholder from the foundation commit: the flash-sale work replaces it.
export interface FlashSaleCardProps {
  sessionId: string;
  /** The latest `flash` message of the room (platform/realtime.ts), if any. */
  lastMessage: unknown;
}

export function FlashSaleCard(_props: FlashSaleCardProps) {
  return null;
}
