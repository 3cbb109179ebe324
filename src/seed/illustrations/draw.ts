/** A colour name buyers see and the swatch the demo picture paints with it. */
export interface Swatch {
  name: string;
  hex: string;
}

/** A point, or a quadratic curve's control point followed by its end point. */
export type Step = readonly [x: number, y: number] | readonly [cx: number, cy: number, x: number, y: number];

/** Numbers with at most one decimal, no trailing zeros: the pictures' coordinates are on a 100 grid. */
const n = (v: number) => String(Math.round(v * 10) / 10);

function segment(step: Step): string {
  return step.length === 4
    ? `Q${n(step[0])},${n(step[1])},${n(step[2])},${n(step[3])}`
    : `L${n(step[0])},${n(step[1])}`;
}

/** A closed path through `start` and `steps` (commas only, so it needs no escaping). */
function path(start: readonly [number, number], steps: Step[]): string {
  return `M${n(start[0])},${n(start[1])}${steps.map(segment).join('')}Z`;
}

const mirrorX = (x: number) => 100 - x;
const endOf = (s: Step): readonly [number, number] => (s.length === 4 ? [s[2], s[3]] : [s[0], s[1]]);

/**
 * A closed outline symmetric about x = 50: `start` and `steps` trace the right half (the last
 * point back on the axis), the left half is the same traced backwards in a mirror.
 */
export function symmetric(start: readonly [number, number], steps: Step[]): string {
  const points: Array<readonly [number, number]> = [start, ...steps.map(endOf)];
  const back: Step[] = [];
  for (let k = steps.length - 1; k >= 0; k--) {
    const step = steps[k] as Step;
    const to = points[k] as readonly [number, number];
    back.push(
      step.length === 4 ? [mirrorX(step[0]), step[1], mirrorX(to[0]), to[1]] : [mirrorX(to[0]), to[1]],
    );
  }
  return path(start, [...steps, ...back]);
}

/** The same drawing on both sides: `d` as given plus its mirror image about x = 50. */
export function mirrored(d: string): string {
  return d + flipPath(d);
}

/** A path's mirror image about x = 50 (absolute M/L/Q/Z commands as `path` writes them). */
function flipPath(d: string): string {
  return d.replace(/([MLQ])([-\d.,]+)/g, (_, cmd: string, args: string) => {
    const v = args.split(',').map(Number);
    return cmd + v.map((x, i) => (i % 2 === 0 ? n(mirrorX(x)) : n(x))).join(',');
  });
}

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** `hex` moved a fraction `t` of the way towards `to`. */
export function mix(hex: string, to: string, t: number): string {
  const a = rgb(hex);
  const b = rgb(to);
  return `#${a
    .map((c, i) => Math.round(c + ((b[i] as number) - c) * t))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex);
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** A colour for seams and edges on `hex`: darker on light cloth, lighter on dark cloth. */
export function seam(hex: string, strength = 0.3): string {
  return luminance(hex) > 70 ? mix(hex, '#000000', strength) : mix(hex, '#ffffff', strength + 0.05);
}

/** A small stable number from text (FNV-1a), for variations that must not draw from the seed's PRNG. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Soft studio backgrounds: linen, paper, mist, sage, blush. */
const BACKGROUNDS = ['#f3efe8', '#f2f2ef', '#ecf0f2', '#edf0ea', '#f4ecea'];

export function backgroundFor(variant: number): string {
  return BACKGROUNDS[variant % BACKGROUNDS.length] as string;
}

/** The square canvas: a soft studio background, the shared shadow blur and sheen, then `body`. */
export function canvas(background: string, defs: string, body: string): string {
  return (
    `<svg xmlns='http://www.w3.org/2000/svg' width='400' height='400' viewBox='0 0 100 100'><style>path{stroke-linecap:round;stroke-linejoin:round}</style><defs>` +
    `<filter id='b' x='-.1' y='-.1' width='1.2' height='1.2'><feGaussianBlur stdDeviation='1.2'/></filter>` +
    `<linearGradient id='l' x2='.7' y2='1'><stop stop-color='#fff' stop-opacity='.22'/><stop offset='.5' stop-color='#fff' stop-opacity='0'/><stop offset='1' stop-opacity='.14'/></linearGradient>` +
    `${defs}</defs><rect width='100' height='100' fill='${background}'/>${body}</svg>`
  );
}

/**
 * One object lying on the table: the outline defined as `#id` gets a soft shadow, its fill with a
 * thin edge, an optional print (`overlay`, e.g. `url(#p)`) and a sheen lit from the top left.
 */
export function solid(id: string, fill: string, overlay?: string): string {
  return (
    `<use href='#${id}' x='.8' y='1.6' opacity='.22' filter='url(#b)'/>` +
    `<use href='#${id}' fill='${fill}' stroke='${seam(fill, 0.22)}' stroke-width='.5'/>` +
    (overlay ? `<use href='#${id}' fill='${overlay}'/>` : '') +
    `<use href='#${id}' fill='url(#l)'/>`
  );
}

/** An SVG `transform` attribute (empty when there is nothing to move). */
export function transform(moves: { x?: number; y?: number; scale?: number; rotate?: number }): string {
  const parts = [
    moves.rotate ? `rotate(${n(moves.rotate)},50,50)` : '',
    moves.x || moves.y ? `translate(${n(moves.x ?? 0)},${n(moves.y ?? 0)})` : '',
    moves.scale ? `scale(${moves.scale})` : '',
  ].filter(Boolean);
  return parts.length ? ` transform='${parts.join(' ')}'` : '';
}

/**
 * A square picture of one garment: the outline `#s` as a `solid`, `details` drawn on top and
 * `under` before it (e.g. a hood behind the neck), tilted and scaled about the centre.
 */
export function picture(opts: {
  background: string;
  outline: string;
  fill: string;
  /** Extra `<defs>` content, e.g. a pattern. */
  defs?: string;
  /** A fill painted over the colour inside the outline, e.g. `url(#p)` for a print. */
  overlay?: string;
  under?: string;
  details: string;
  /** Degrees, for the slightly casual angle of a flat-lay. */
  tilt?: number;
  /** Below 1 for smaller things (children's clothes) on the same table. */
  scale?: number;
}): string {
  const s = opts.scale;
  const moves = transform({
    ...(opts.tilt ? { rotate: opts.tilt } : {}),
    ...(s ? { x: 50 * (1 - s), y: 50 * (1 - s), scale: s } : {}),
  });
  return canvas(
    opts.background,
    `<path id='s' d='${opts.outline}'/>${opts.defs ?? ''}`,
    `<g${moves}>${opts.under ?? ''}${solid('s', opts.fill, opts.overlay)}${opts.details}</g>`,
  );
}

/** A stroked group: seams, stitching, folds. */
export function lines(d: string, stroke: string, width = 0.5, extra = ''): string {
  return `<path d='${d}' fill='none' stroke='${stroke}' stroke-width='${n(width)}'${extra}/>`;
}

export function shape(d: string, fill: string, extra = ''): string {
  return `<path d='${d}' fill='${fill}'${extra}/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx='${n(cx)}' cy='${n(cy)}' r='${n(r)}' fill='${fill}'${extra}/>`;
}

/**
 * The picture as a `data:` URL. Percent-encoded rather than base64: a third smaller, and it still
 * compresses well when a listing page carries twenty of them.
 */
export function dataUrl(svg: string): string {
  return `data:image/svg+xml,${svg.replace(/[^A-Za-z0-9+/=._~!$&'()*,;:@-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

/** The SVG text back from a `dataUrl` (for tests and tools). */
export function svgOf(url: string): string {
  return decodeURIComponent(url.replace(/^data:image\/svg\+xml,/, ''));
}
