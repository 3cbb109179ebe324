import type { FitLevel } from './fit-zone-reason.ts';
import type { GarmentZone } from './schemas.ts';

/**
 * Geometry of the try-on picture (AI试穿): a body drawn from estimated measurements, and the garment's
 * outline at one size over it, each zone coloured by its fit level. Pure numbers in cm: the web scales
 * and draws them (front view: widths; side view: depths). It is a fit picture computed from
 * measurements, not a photo (the web says so in the reader's language).
 */

/** Front width ÷ side depth of a cross-section, by zone (adult averages; an ellipse per zone). */
export const SECTION_RATIO: Record<'chest' | 'waist' | 'hip', number> = { chest: 1.35, waist: 1.3, hip: 1.4 };
/** Height of each zone above the floor, as a share of stature. */
export const ZONE_HEIGHT: Record<'shoulder' | 'chest' | 'waist' | 'hip', number> = {
  shoulder: 0.818,
  chest: 0.72,
  waist: 0.61,
  hip: 0.52,
};

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * How much of a garment's ease (garment − body girth) shows as width over the body: loose cloth hangs
 * to the sides (half of it widens the front) and a little to the front and back (a quarter deepens the
 * side). A garment smaller than the body stretches to it: drawn skin-tight, never narrower.
 */
export const EASE_TO_FRONT = 0.5;
export const EASE_TO_SIDE = 0.25;

/** The garment's drawn front width and side depth (cm) over a body section, from its ease. */
export function garmentSection(
  body: { frontCm: number; sideCm: number },
  easeCm: number,
): { frontCm: number; sideCm: number } {
  const ease = Math.max(easeCm, 0);
  return { frontCm: body.frontCm + EASE_TO_FRONT * ease, sideCm: body.sideCm + EASE_TO_SIDE * ease };
}

/** Perimeter of an ellipse with semi-axes a, b (Ramanujan's first approximation). */
export function ellipsePerimeter(a: number, b: number): number {
  return Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));
}

/** Front width and side depth (cm) of an elliptical section with circumference `c` and width/depth `ratio`. */
export function sectionOf(c: number, ratio: number): { frontCm: number; sideCm: number } {
  const b = c / ellipsePerimeter(ratio, 1);
  return { frontCm: 2 * ratio * b, sideCm: 2 * b };
}

export interface AvatarBodyZone {
  zone: GarmentZone;
  /** Height above the floor (cm); for the inseam, the crotch height. */
  yCm: number;
  /** Circumference (chest, waist, hip), breadth (shoulder) or length (inseam), as measured or estimated. */
  valueCm: number;
  frontCm: number;
  sideCm: number;
}

export interface AvatarGarmentZone {
  zone: GarmentZone;
  yCm: number;
  /** The garment's measurement at this size (cm), from the chart. */
  valueCm: number;
  frontCm: number;
  sideCm: number;
  /** Ease: garment − body (cm). */
  easeCm: number;
  level: FitLevel;
}

export interface AvatarSize {
  size: string;
  zones: AvatarGarmentZone[];
  /** The garment's length (cm, from the shoulder) when the chart gives it: where its hem falls. */
  lengthCm?: number;
}

export interface Avatar {
  heightCm: number;
  body: AvatarBodyZone[];
  sizes: AvatarSize[];
}

export interface AvatarInput {
  heightCm: number;
  /** Body measurements (cm) by zone, any subset. */
  body: Partial<Record<GarmentZone, number>>;
  /** Per size: the chart row and each judged zone's fit level (from the recommendation's reasons). */
  sizes: Array<{
    size: string;
    row: Partial<Record<GarmentZone, number>>;
    levels: Partial<Record<GarmentZone, FitLevel>>;
    lengthCm?: number;
  }>;
}

function geometry(zone: GarmentZone, value: number, heightCm: number, chestDepth: number) {
  if (zone === 'chest' || zone === 'waist' || zone === 'hip') {
    return { yCm: heightCm * ZONE_HEIGHT[zone], ...sectionOf(value, SECTION_RATIO[zone]) };
  }
  if (zone === 'shoulder')
    return { yCm: heightCm * ZONE_HEIGHT.shoulder, frontCm: value, sideCm: chestDepth };
  // inseam: a length, drawn from the floor up to the crotch; legs have no width of their own here
  return { yCm: value, frontCm: 0, sideCm: 0 };
}

/** Body outline and, for every size, the garment outline with per-zone fit levels. */
export function buildAvatar(input: AvatarInput): Avatar {
  const { heightCm } = input;
  const chestDepth = input.body.chest ? sectionOf(input.body.chest, SECTION_RATIO.chest).sideCm : 0;
  const body: AvatarBodyZone[] = [];
  for (const [zone, value] of Object.entries(input.body) as Array<[GarmentZone, number]>) {
    const g = geometry(zone, value, heightCm, chestDepth);
    body.push({
      zone,
      valueCm: round1(value),
      yCm: round1(g.yCm),
      frontCm: round1(g.frontCm),
      sideCm: round1(g.sideCm),
    });
  }
  const sizes = input.sizes.map(({ size, row, levels, lengthCm }) => {
    const zones: AvatarGarmentZone[] = [];
    for (const [zone, level] of Object.entries(levels) as Array<[GarmentZone, FitLevel]>) {
      const value = row[zone];
      const b = input.body[zone];
      if (value === undefined || b === undefined) continue;
      const g = geometry(zone, value, heightCm, chestDepth);
      const onBody = geometry(zone, b, heightCm, chestDepth);
      // girths are drawn as the body plus the ease that hangs out; a shoulder is its own breadth
      const drawn =
        zone === 'chest' || zone === 'waist' || zone === 'hip'
          ? garmentSection(onBody, value - b)
          : { frontCm: Math.max(g.frontCm, onBody.frontCm), sideCm: g.sideCm };
      // a garment's yCm is where it sits on this body (the inseam's is its own length)
      zones.push({
        zone,
        yCm: round1(g.yCm),
        valueCm: round1(value),
        frontCm: round1(drawn.frontCm),
        sideCm: round1(drawn.sideCm),
        easeCm: round1(value - b),
        level,
      });
    }
    return lengthCm ? { size, zones, lengthCm: round1(lengthCm) } : { size, zones };
  });
  return {
    heightCm: round1(heightCm),
    body,
    sizes,
  };
}
