// Placeholder from the foundation commit: the flash-sale work replaces it.
export interface FlashSalePanelProps {
  sessionId: string;
  /** The session's products (ids), from which a flash sale's SKU is picked. */
  productIds: string[];
}

export function FlashSalePanel(_props: FlashSalePanelProps) {
  return null;
}
