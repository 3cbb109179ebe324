import type { GarmentZone } from './schemas.ts';

export type FitLevel = 'tight' | 'slightly tight' | 'just right' | 'slightly loose' | 'loose';

const ZONE_NAMES: Record<GarmentZone, { zh: string; en: string }> = {
  chest: { zh: '胸围', en: 'chest' },
  waist: { zh: '腰围', en: 'waist' },
  hip: { zh: '臀围', en: 'hip' },
  shoulder: { zh: '肩宽', en: 'shoulder' },
  inseam: { zh: '内裆长', en: 'inseam' },
};
/** The app's fit words (web i18n `sizing.levels`), so reasons read the same everywhere. */
const LEVEL_NAMES: Record<FitLevel, string> = {
  tight: '太紧',
  'slightly tight': '偏紧',
  'just right': '合身',
  'slightly loose': '偏松',
  loose: '太松',
};

/** Level from the ease left over after the ideal ease (cm): negative = tighter than wanted. */
export function fitLevel(excessEaseCm: number): FitLevel {
  if (excessEaseCm < -6) return 'tight';
  if (excessEaseCm < -2) return 'slightly tight';
  if (excessEaseCm <= 3) return 'just right';
  if (excessEaseCm <= 8) return 'slightly loose';
  return 'loose';
}

export interface ZoneReason {
  zone: GarmentZone;
  easeCm: number;
  level: FitLevel;
  zh: string;
  en: string;
}

export function zoneReason(zone: GarmentZone, easeCm: number, idealEaseCm: number): ZoneReason {
  const level = fitLevel(easeCm - idealEaseCm);
  const name = ZONE_NAMES[zone];
  return {
    zone,
    easeCm: Math.round(easeCm * 10) / 10,
    level,
    zh: `${name.zh}：${LEVEL_NAMES[level]}`,
    en: `${name.en}: ${level}`,
  };
}
