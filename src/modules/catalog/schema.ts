export type FitType = 'slim' | 'regular' | 'loose';
export type ProductStatus = 'on_sale' | 'off_sale';
export const SIZE_ZONES = ['chest', 'waist', 'hip', 'length', 'shoulder', 'inseam'] as const;
export type SizeZone = (typeof SIZE_ZONES)[number];
/** Garment measurements in cm per size label, e.g. `{"M": {"chest": 100, "length": 68}}`. */
export type SizeChart = Record<string, Partial<Record<SizeZone, number>>>;

export type StockMovementKind = 'initial' | 'adjust' | 'set' | 'reserve' | 'release' | 'capture';
