/**
 * Geometry of the try-on picture, pure: the server's avatar data (cm: body widths/depths per zone, the
 * garment's at one size, fit level per zone) → SVG path strings in a cm coordinate system (y up from
 * the floor is flipped to SVG's y down here). Front view uses widths, side view depths. A stylised
 * figure drawn from measurements, not a photo.
 */
import type { AvatarData, AvatarGarmentZone, FitLevel, Zone } from '../../shared/sizing-api.ts';

export type Pt = readonly [number, number];

export interface ZoneBand {
  zone: Zone;
  level: FitLevel;
  easeCm: number;
  /** A rectangle (SVG coordinates) clipped to the garment when drawn. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ViewGeometry {
  viewBox: string;
  /** Body silhouette (torso, legs, head, neck). */
  body: string;
  /** Arms, drawn behind the garment (front) or as an outline over it (side). */
  arms: string;
  head: { cx: number; cy: number; rx: number; ry: number };
  /** Garment outline at the size ('' when the chart has no zone to draw). */
  garment: string;
  /** Drag lines where the garment is tight, hanging folds where it is loose ('' when neither). */
  creases: string;
  bands: ZoneBand[];
}

export type GarmentKind = 'top' | 'dress' | 'bottoms';

/** The garment's front half-widths (cm) at each level and where its hem falls (cm above the floor). */
export interface GarmentOutline {
  shoulder: number;
  chest: number;
  waist: number;
  hip: number;
  hemY: number;
}

export interface AvatarGeometry {
  size: string;
  kind: GarmentKind;
  heightCm: number;
  /** Front half-widths of the body and of the garment at this size: how it sits, in numbers. */
  bodyHalf: { shoulder: number; chest: number; waist: number; hip: number };
  garmentHalf: GarmentOutline | null;
  front: ViewGeometry;
  side: ViewGeometry;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const fmt = (p: Pt) => `${r1(p[0])} ${r1(p[1])}`;

/**
 * A smooth curve through the points (Catmull-Rom → cubic Bézier), as path commands. Starts with `M`
 * (or `L` when continuing a path). The same number of points always gives the same commands, so two
 * sizes' paths interpolate smoothly in a CSS `d` transition.
 */
export function smoothPath(points: readonly Pt[], continuing = false, tension = 0.5): string {
  if (points.length === 0) return '';
  let d = `${continuing ? 'L' : 'M'}${fmt(points[0])}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[i - 1] ?? points[i];
    const p1 = points[i];
    const p2 = points[i + 1];
    const p3 = points[i + 2] ?? p2;
    const k = tension / 3;
    const c1: Pt = [p1[0] + (p2[0] - p0[0]) * k, p1[1] + (p2[1] - p0[1]) * k];
    const c2: Pt = [p2[0] - (p3[0] - p1[0]) * k, p2[1] - (p3[1] - p1[1]) * k];
    d += ` C${fmt(c1)} ${fmt(c2)} ${fmt(p2)}`;
  }
  return d;
}

const mirror = (pts: readonly Pt[]): Pt[] => pts.map(([x, y]) => [-x, y] as const).reverse();

/** Which kind of garment the chart's zones describe. */
export function garmentKind(zones: readonly Zone[]): GarmentKind {
  const has = (z: Zone) => zones.includes(z);
  if (has('inseam') || (has('hip') && !has('chest') && !has('shoulder'))) return 'bottoms';
  if (has('hip') && has('chest')) return 'dress';
  if (has('waist') && !has('chest') && !has('shoulder')) return 'bottoms';
  return 'top';
}

interface Body {
  H: number;
  /** Heights above the floor (cm). */
  y: {
    head: number;
    chin: number;
    neckBase: number;
    shoulder: number;
    chest: number;
    waist: number;
    hip: number;
    crotch: number;
    knee: number;
    ankle: number;
  };
  /** Front half-widths (cm). */
  half: { neck: number; shoulder: number; chest: number; waist: number; hip: number };
  /** Side depths (cm). */
  depth: { chest: number; waist: number; hip: number };
}

/** Body levels and sizes, from the avatar's zones, with proportional fallbacks for missing zones. */
export function bodyOf(avatar: AvatarData): Body {
  const H = avatar.heightCm;
  const z = (zone: Zone) => avatar.body.find((b) => b.zone === zone);
  const chest = z('chest');
  const waist = z('waist');
  const hip = z('hip');
  const shoulder = z('shoulder');
  const inseam = z('inseam');
  const yShoulder = shoulder?.yCm ?? 0.818 * H;
  const yChest = chest?.yCm ?? 0.72 * H;
  const yWaist = waist?.yCm ?? 0.61 * H;
  const yHip = hip?.yCm ?? 0.52 * H;
  const crotch = Math.min(inseam?.valueCm ?? 0.46 * H, yHip - 0.03 * H);
  const chestHalf = (chest?.frontCm ?? 0.19 * H) / 2;
  return {
    H,
    y: {
      head: H,
      chin: 0.87 * H,
      neckBase: yShoulder + 0.025 * H,
      shoulder: yShoulder,
      chest: yChest,
      waist: yWaist,
      hip: yHip,
      crotch,
      knee: 0.285 * H,
      ankle: 0.045 * H,
    },
    half: {
      neck: 0.033 * H,
      shoulder: Math.max((shoulder?.frontCm ?? 0.22 * H) / 2, chestHalf),
      chest: chestHalf,
      waist: (waist?.frontCm ?? 0.165 * H) / 2,
      hip: (hip?.frontCm ?? 0.2 * H) / 2,
    },
    depth: {
      chest: chest?.sideCm ?? 0.14 * H,
      waist: waist?.sideCm ?? 0.125 * H,
      hip: hip?.sideCm ?? 0.15 * H,
    },
  };
}

/** Leg line positions at the knee and ankle, front view (centre and half-width). */
function legs(b: Body) {
  const hx = b.half.hip;
  return {
    knee: { c: hx * 0.45, w: Math.max(0.028 * b.H, hx * 0.3) },
    ankle: { c: hx * 0.42, w: Math.max(0.018 * b.H, hx * 0.19) },
  };
}

const PAD = 3;

function frontBody(b: Body, sy: (y: number) => number): { body: string; arms: string } {
  const { H, y, half } = b;
  const L = legs(b);
  const right: Pt[] = [
    [half.neck, sy(y.chin)],
    [half.neck, sy(y.neckBase)],
    [half.shoulder + 0.01 * H, sy(y.shoulder - 0.012 * H)],
    [half.chest * 1.02, sy(y.chest + 0.04 * H)],
    [half.chest, sy(y.chest)],
    [half.waist, sy(y.waist)],
    [half.hip, sy(y.hip)],
    [half.hip * 0.96, sy(y.crotch)],
    [L.knee.c + L.knee.w, sy(y.knee)],
    [L.ankle.c + L.ankle.w, sy(y.ankle)],
    [L.ankle.c + L.ankle.w + 0.012 * H, sy(0)],
    [L.ankle.c - L.ankle.w, sy(0)],
    [L.ankle.c - L.ankle.w, sy(y.ankle)],
    [L.knee.c - L.knee.w, sy(y.knee)],
    [0.6, sy(y.crotch)],
  ];
  const body = `${smoothPath(right)} ${smoothPath(mirror(right), true)} Z`;
  // Arms hang in a slight A-pose, clear of the torso: centre line and half-width from shoulder to hand.
  const top: Pt = [half.shoulder - 0.003 * H, y.shoulder - 0.01 * H];
  const elbow: Pt = [Math.max(half.chest, half.waist) + 0.03 * H, 0.625 * H];
  const wrist: Pt = [Math.max(half.hip, elbow[0]) + 0.028 * H, 0.485 * H];
  const hand: Pt = [wrist[0] + 0.004 * H, 0.4 * H];
  const w = [0.028 * H, 0.021 * H, 0.015 * H, 0.017 * H];
  const line = [top, elbow, wrist, hand];
  const outer: Pt[] = line.map(([x, yy], i) => [x + w[i], sy(yy)]);
  const inner: Pt[] = line.map(([x, yy], i): Pt => [x - w[i], sy(yy)]).reverse();
  const arm = (pts: Pt[]) => `${smoothPath(pts)} Z`;
  const rightArm: Pt[] = [...outer, ...inner];
  const leftArm: Pt[] = rightArm.map(([x, yy]) => [-x, yy]);
  return { body, arms: `${arm(rightArm)} ${arm(leftArm)}` };
}

function sideBody(b: Body, sy: (y: number) => number): { body: string; arms: string } {
  const { H, y, depth } = b;
  // +x is the front of the body.
  const front: Pt[] = [
    [0.035 * H, sy(y.chin)],
    [0.035 * H, sy(y.neckBase)],
    [depth.chest * 0.4, sy(y.shoulder - 0.02 * H)],
    [depth.chest * 0.55, sy(y.chest)],
    [depth.waist * 0.5, sy(y.waist)],
    [depth.hip * 0.42, sy(y.hip)],
    [depth.hip * 0.36, sy(y.crotch)],
    [0.032 * H, sy(y.knee)],
    [0.022 * H, sy(y.ankle)],
    [0.12 * H, sy(0)],
  ];
  const back: Pt[] = [
    [-0.03 * H, sy(0)],
    [-0.02 * H, sy(y.ankle)],
    [-0.03 * H, sy(y.knee)],
    [-depth.hip * 0.46, sy(y.crotch)],
    [-depth.hip * 0.58, sy(y.hip)],
    [-depth.waist * 0.5, sy(y.waist)],
    [-depth.chest * 0.45, sy(y.chest)],
    [-depth.chest * 0.5, sy(y.shoulder - 0.02 * H)],
    [-0.04 * H, sy(y.neckBase)],
    [-0.035 * H, sy(y.chin)],
  ];
  const body = `${smoothPath(front)} ${smoothPath(back, true)} Z`;
  const armLine: Pt[] = [
    [-0.005 * H, y.shoulder - 0.01 * H],
    [-0.012 * H, 0.625 * H],
    [0.01 * H, 0.485 * H],
    [0.014 * H, 0.4 * H],
  ];
  const w = [0.03 * H, 0.022 * H, 0.016 * H, 0.02 * H];
  const outer: Pt[] = armLine.map(([x, yy], i) => [x + w[i], sy(yy)]);
  const inner: Pt[] = armLine.map(([x, yy], i): Pt => [x - w[i], sy(yy)]).reverse();
  return { body, arms: `${smoothPath([...outer, ...inner])} Z` };
}

interface GarmentWidths {
  shoulder: number;
  chest: number;
  waist: number;
  hip: number;
}

/**
 * The garment's half-width (front) or depth (side) at each level: from the chart where the size has the
 * zone; elsewhere the body plus the ease of the nearest zone that has one (never narrower than the body).
 */
function garmentExtents(
  body: GarmentWidths,
  garment: Partial<GarmentWidths>,
  order: Array<keyof GarmentWidths>,
): GarmentWidths {
  const known = order.filter((k) => garment[k] !== undefined);
  const out = { ...body };
  for (const k of order) {
    const g = garment[k];
    if (g !== undefined) {
      out[k] = g;
      continue;
    }
    if (known.length === 0) {
      out[k] = body[k] * 1.08;
      continue;
    }
    const i = order.indexOf(k);
    const nearest = [...known].sort(
      (a, b) => Math.abs(order.indexOf(a) - i) - Math.abs(order.indexOf(b) - i),
    )[0];
    const ease = (garment[nearest] as number) - body[nearest];
    out[k] = Math.max(body[k] + Math.max(ease, 0.5), body[k]);
  }
  return out;
}

const ORDER: Array<keyof GarmentWidths> = ['shoulder', 'chest', 'waist', 'hip'];

/** Front half-width of room at the chest (cm) from which a top hangs straight past the waist. */
const DRAPE_CM = 6;

const TIGHT = new Set<FitLevel>(['tight', 'slightly tight']);
const LOOSE = new Set<FitLevel>(['loose', 'slightly loose']);

/**
 * Tight zones get drag lines pulling towards the sides; the loosest zone, folds hanging to the hem
 * (front view, right half mirrored). A picture of fit, so a size too small looks strained.
 */
function creases(
  b: Body,
  zones: AvatarGarmentZone[],
  g: GarmentOutline,
  hemHalf: number,
  sy: (y: number) => number,
): string {
  const { H, y } = b;
  const paths: string[] = [];
  const both = (pts: [Pt, Pt, Pt]) => {
    for (const sign of [1, -1]) {
      const [a, c, e] = pts.map(([x, yy]) => [sign * x, yy] as const);
      paths.push(`M${fmt(a)} Q${fmt(c)} ${fmt(e)}`);
    }
  };
  for (const z of zones) {
    if (z.zone !== 'chest' && z.zone !== 'waist' && z.zone !== 'hip') continue;
    const yy = y[z.zone];
    if (yy < g.hemY + 0.01 * H) continue;
    const x = g[z.zone];
    if (TIGHT.has(z.level)) {
      const lines = z.level === 'tight' ? 2 : 1;
      for (let i = 0; i < lines; i++) {
        const dy = (i - (lines - 1) / 2) * 0.018 * H;
        both([
          [x * 0.95, sy(yy + dy + 0.01 * H)],
          [x * 0.72, sy(yy + dy)],
          [x * 0.42, sy(yy + dy + 0.016 * H)],
        ]);
      }
    }
  }
  const loosest = zones
    .filter((z) => LOOSE.has(z.level) && z.zone !== 'shoulder' && z.zone !== 'inseam')
    .sort((p, q) => q.easeCm - p.easeCm)[0];
  if (loosest) {
    const folds = loosest.level === 'loose' ? 2 : 1;
    for (let i = 0; i < folds; i++) {
      const top = y.chest - (0.03 + 0.04 * i) * H;
      const x = g.chest * (0.62 - 0.18 * i);
      both([
        [x, sy(top)],
        [x * 1.02 + 0.3, sy((top + g.hemY) / 2)],
        [Math.min(x * 1.08 + 0.6, hemHalf * 0.9), sy(g.hemY + 0.005 * H)],
      ]);
    }
  }
  return paths.join(' ');
}

function frontGarment(
  b: Body,
  kind: GarmentKind,
  zones: AvatarGarmentZone[],
  sy: (y: number) => number,
  lengthCm: number | undefined,
): { path: string; hemY: number; outline: GarmentOutline; creases: string } {
  const { H, y, half } = b;
  const gz = (z: Zone) => zones.find((g) => g.zone === z);
  const g = garmentExtents(
    { shoulder: half.shoulder, chest: half.chest, waist: half.waist, hip: half.hip },
    {
      shoulder: gz('shoulder') ? (gz('shoulder') as AvatarGarmentZone).frontCm / 2 : undefined,
      chest: gz('chest') ? (gz('chest') as AvatarGarmentZone).frontCm / 2 : undefined,
      waist: gz('waist') ? (gz('waist') as AvatarGarmentZone).frontCm / 2 : undefined,
      hip: gz('hip') ? (gz('hip') as AvatarGarmentZone).frontCm / 2 : undefined,
    },
    ORDER,
  );
  if (kind === 'bottoms') {
    const L = legs(b);
    const inseam = gz('inseam')?.valueCm;
    const hemY = Math.max(y.crotch - (inseam ?? y.crotch - y.ankle), 0.01 * H);
    const ease = g.hip - half.hip;
    const kneeY = Math.max(y.knee, hemY + 0.02 * H);
    const rise = y.crotch - 0.012 * H;
    const right: Pt[] = [
      [g.waist, sy(y.waist + 0.01 * H)],
      [g.hip, sy(y.hip)],
      [g.hip * 0.97, sy(y.crotch)],
      [L.knee.c + L.knee.w + Math.max(ease * 0.35, 0.8), sy(kneeY)],
      [L.ankle.c + L.ankle.w + Math.max(ease * 0.35, 1.2) + 1.2, sy(hemY)],
      [L.ankle.c - L.ankle.w - Math.max(ease * 0.2, 1) - 1.2, sy(hemY)],
      [L.knee.c - L.knee.w - Math.max(ease * 0.2, 0.6), sy(kneeY)],
      [0, sy(rise)],
    ];
    const flip = ([x, yy]: Pt): Pt => [-x, yy];
    const inner: Pt[] = [right[5], right[6], right[7], flip(right[6]), flip(right[5])];
    const outerLeft: Pt[] = [right[4], right[3], right[2], right[1], right[0]].map(flip);
    const outline = { ...g, hemY };
    return {
      path: `${smoothPath(right.slice(0, 5))} ${smoothPath(inner, true)} ${smoothPath(outerLeft, true)} Z`,
      hemY,
      outline,
      creases: creases(b, zones, outline, g.hip, sy),
    };
  }
  // The chart's length runs from the shoulder by the neck to the hem: a larger size hangs lower.
  const hemY = Math.min(
    Math.max(
      lengthCm ? y.neckBase - lengthCm : kind === 'dress' ? y.knee + 0.04 * H : (y.hip + y.crotch) / 2,
      0.06 * H,
    ),
    y.waist - 0.02 * H,
  );
  const hemHalf =
    kind === 'dress' ? Math.max(g.hip, half.hip) + 0.03 * H : Math.max(g.hip, g.waist, half.hip + 1);
  // A top with room at the chest hangs from it rather than following the waist in: straight once
  // the chest has DRAPE_CM of room, shaped like the body when it has none.
  if (kind === 'top' && gz('waist') === undefined) {
    const room = Math.min(Math.max(g.chest - half.chest, 0) / DRAPE_CM, 1);
    g.waist = Math.max(g.waist, g.waist + (Math.min(g.chest, hemHalf) - g.waist) * room);
  }
  // a shoulder wider than the body's drops down the arm, and its sleeve hangs longer and wider
  const drop = Math.max(g.shoulder - half.shoulder, 0);
  const sleeveEnd = y.shoulder - 0.12 * H - drop * 0.8;
  const sleeveOut = g.shoulder + 0.035 * H + Math.max(g.chest - half.chest, 0) * 0.6;
  const right: Pt[] = [
    [half.neck + 1.2, sy(y.neckBase)],
    [g.shoulder, sy(y.shoulder - 0.005 * H - drop * 0.5)],
    [sleeveOut, sy(sleeveEnd)],
    [Math.max(g.chest, half.chest) + 0.3, sy(sleeveEnd + 0.005 * H)],
    [g.chest, sy(y.chest)],
    [g.waist, sy(y.waist)],
    [kind === 'dress' ? g.hip : (g.hip + hemHalf) / 2, sy(Math.max(y.hip, hemY + 0.02 * H))],
    [hemHalf, sy(hemY)],
  ];
  const left = mirror(right);
  // shoulder → sleeve → armpit are corners; the side seam is smooth
  const seg = (pts: Pt[]) => smoothPath(pts, true);
  const path =
    `M${fmt(right[0])} L${fmt(right[1])} L${fmt(right[2])} L${fmt(right[3])} ${seg(right.slice(3))}` +
    ` L${fmt(left[0])} ${seg(left.slice(0, 5))} L${fmt(left[5])} L${fmt(left[6])} L${fmt(left[7])}` +
    ` Q0 ${r1(sy(y.shoulder - 0.035 * H))} ${fmt(right[0])} Z`;
  const outline = { ...g, hemY };
  return { path, hemY, outline, creases: creases(b, zones, outline, hemHalf, sy) };
}

function sideGarment(
  b: Body,
  kind: GarmentKind,
  zones: AvatarGarmentZone[],
  hemY: number,
  sy: (y: number) => number,
): string {
  const { H, y, depth } = b;
  const gz = (z: Zone) => zones.find((g) => g.zone === z);
  const g = garmentExtents(
    { shoulder: depth.chest * 0.9, chest: depth.chest, waist: depth.waist, hip: depth.hip },
    {
      chest: gz('chest')?.sideCm,
      waist: gz('waist')?.sideCm,
      hip: gz('hip')?.sideCm,
    },
    ORDER,
  );
  // extra depth over the body is shared front/back like the body's own proportions
  const at = (zone: 'chest' | 'waist' | 'hip', frontShare: number): [number, number] => [
    g[zone] * frontShare,
    -g[zone] * (1 - frontShare),
  ];
  const [cF, cB] = at('chest', 0.55);
  const [wF, wB] = at('waist', 0.5);
  const [hF, hB] = at('hip', 0.42);
  if (kind === 'bottoms') {
    const front: Pt[] = [
      [wF, sy(y.waist + 0.01 * H)],
      [hF, sy(y.hip)],
      [Math.max(hF * 0.86, depth.hip * 0.36), sy(y.crotch)],
      [0.032 * H + 1.5, sy(Math.max(y.knee, hemY + 0.02 * H))],
      [0.03 * H + 1.5, sy(hemY)],
    ];
    const back: Pt[] = [
      [-0.035 * H - 1.2, sy(hemY)],
      [-0.03 * H - 1.5, sy(Math.max(y.knee, hemY + 0.02 * H))],
      [Math.min(hB * 0.8, -depth.hip * 0.46), sy(y.crotch)],
      [hB, sy(y.hip)],
      [wB, sy(y.waist + 0.01 * H)],
    ];
    return `${smoothPath(front)} L${fmt(back[0])} ${smoothPath(back, true)} Z`;
  }
  const hemFront = kind === 'dress' ? hF + 0.03 * H : Math.max(hF, wF) + 0.5;
  const hemBack = kind === 'dress' ? hB - 0.03 * H : Math.min(hB, wB) - 0.5;
  const front: Pt[] = [
    [0.035 * H + 1, sy(y.neckBase)],
    [g.shoulder * 0.45, sy(y.shoulder - 0.02 * H)],
    [cF, sy(y.chest)],
    [wF, sy(y.waist)],
    [kind === 'dress' ? hF : Math.max(hF, wF), sy(y.hip)],
    [hemFront, sy(hemY)],
  ];
  const back: Pt[] = [
    [hemBack, sy(hemY)],
    [kind === 'dress' ? hB : Math.min(hB, wB), sy(y.hip)],
    [wB, sy(y.waist)],
    [cB, sy(y.chest)],
    [-g.shoulder * 0.55, sy(y.shoulder - 0.02 * H)],
    [-0.04 * H - 1, sy(y.neckBase)],
  ];
  return `${smoothPath(front)} L${fmt(back[0])} ${smoothPath(back, true)} Z`;
}

/** Vertical extent (cm above the floor) of each zone's coloured band. */
function bandSpan(b: Body, zone: Zone, hemY: number): [number, number] {
  const { H, y } = b;
  switch (zone) {
    case 'shoulder':
      return [y.shoulder - 0.035 * H, y.neckBase];
    case 'chest':
      return [y.chest - 0.035 * H, y.chest + 0.035 * H];
    case 'waist':
      return [y.waist - 0.03 * H, y.waist + 0.03 * H];
    case 'hip':
      return [y.hip - 0.035 * H, y.hip + 0.03 * H];
    case 'inseam':
      return [hemY, hemY + 0.07 * H];
  }
}

/** Everything the Avatar component draws, for one size (first size when unknown). */
export function avatarGeometry(avatar: AvatarData, size: string): AvatarGeometry {
  const b = bodyOf(avatar);
  const sized = avatar.sizes.find((s) => s.size === size) ?? avatar.sizes[0];
  const zones = sized?.zones ?? [];
  const kind = garmentKind(zones.map((z) => z.zone));
  const top = b.H + PAD;
  const sy = (yCm: number) => top - yCm;
  const height = b.H + 2 * PAD;

  const fb = frontBody(b, sy);
  const drawn = zones.length ? frontGarment(b, kind, zones, sy, sized?.lengthCm) : undefined;
  const frontPath = drawn?.path ?? '';
  const hemY = drawn?.hemY ?? 0;
  // the same frame for every size (the body keeps its scale), wide enough for the loosest sleeves
  const widest = Math.max(
    0,
    ...avatar.sizes.flatMap((sz) => {
      const at = (z: Zone) => (sz.zones.find((g) => g.zone === z)?.frontCm ?? 0) / 2;
      return [
        at('shoulder') + 0.035 * b.H + Math.max(at('chest') - b.half.chest, 0) * 0.6 + 0.03 * b.H,
        at('hip'),
      ];
    }),
  );
  const frontHalf = Math.max(b.half.hip + 0.06 * b.H, b.half.shoulder + 0.07 * b.H, widest) + PAD;
  const headRx = 0.048 * b.H;
  const headRy = 0.066 * b.H;
  const headCy = sy(b.H - headRy);
  const bands = (minX: number, width: number): ZoneBand[] =>
    zones.map((z) => {
      const [lo, hi] = bandSpan(b, z.zone, hemY);
      return { zone: z.zone, level: z.level, easeCm: z.easeCm, x: minX, y: sy(hi), width, height: hi - lo };
    });

  const sb = sideBody(b, sy);
  const sideGarmentPath = zones.length ? sideGarment(b, kind, zones, hemY, sy) : '';
  const sideMin = -(Math.max(b.depth.hip * 0.7, 0.06 * b.H) + PAD);
  const sideMax = 0.13 * b.H + PAD;
  const view = (min: number, max: number) => `${r1(min)} 0 ${r1(max - min)} ${r1(height)}`;
  return {
    size: sized?.size ?? size,
    kind,
    heightCm: b.H,
    bodyHalf: {
      shoulder: b.half.shoulder,
      chest: b.half.chest,
      waist: b.half.waist,
      hip: b.half.hip,
    },
    garmentHalf: drawn?.outline ?? null,
    front: {
      viewBox: view(-frontHalf, frontHalf),
      body: fb.body,
      arms: fb.arms,
      head: { cx: 0, cy: r1(headCy), rx: r1(headRx), ry: r1(headRy) },
      garment: frontPath,
      creases: drawn?.creases ?? '',
      bands: bands(-frontHalf, 2 * frontHalf),
    },
    side: {
      viewBox: view(sideMin, sideMax),
      body: sb.body,
      arms: sb.arms,
      head: { cx: r1(0.012 * b.H), cy: r1(headCy), rx: r1(0.058 * b.H), ry: r1(headRy) },
      garment: sideGarmentPath,
      creases: '',
      bands: bands(sideMin, sideMax - sideMin),
    },
  };
}
