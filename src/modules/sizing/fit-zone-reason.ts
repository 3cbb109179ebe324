import type { GarmentZone } from './schemas.ts';

/** The five fit levels, tightest first. */
export const FIT_LEVELS = ['tight', 'slightly tight', 'just right', 'slightly loose', 'loose'] as const;
export type FitLevel = (typeof FIT_LEVELS)[number];

/** Level from the ease left over after the ideal ease (cm): negative = tighter than wanted. */
export function fitLevel(excessEaseCm: number): FitLevel {
  if (excessEaseCm < -6) return 'tight';
  if (excessEaseCm < -2) return 'slightly tight';
  if (excessEaseCm <= 3) return 'just right';
  if (excessEaseCm <= 8) return 'slightly loose';
  return 'loose';
}

/**
 * How one zone of a size would fit: codes the app words (`sizing.zones.<zone>`,
 * `sizing.levels.<level>`) and the ease in cm, never a sentence.
 */
export interface ZoneReason {
  zone: GarmentZone;
  /** Garment minus body (cm), as the garment really sits (learned corrections included). */
  easeCm: number;
  level: FitLevel;
}

export function zoneReason(zone: GarmentZone, easeCm: number, idealEaseCm: number): ZoneReason {
  return { zone, easeCm: Math.round(easeCm * 10) / 10, level: fitLevel(easeCm - idealEaseCm) };
}
