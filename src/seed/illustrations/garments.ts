import {
  backgroundFor,
  circle,
  dataUrl,
  hashOf,
  lines,
  mirrored,
  mix,
  picture,
  type Swatch,
  seam,
  shape,
  symmetric,
} from './draw.ts';

/** What a shape function draws: the outline (`#s`) and what goes on it. */
interface Drawing {
  outline: string;
  details: string;
  under?: string;
  defs?: string;
  overlay?: string;
}

/** The colours of one piece of cloth. */
interface Cloth {
  fill: string;
  /** Seams, stitching, edges. */
  stitch: string;
  /** The inside of the garment where it shows (neck openings). */
  inside: string;
  /** `0…n`: a stable small number per product for its pattern or detail. */
  variant: number;
}

const dashed = " stroke-dasharray='1.2,.9'";

/** A print over the outline: thin stripes, dots, small flowers, a knit or nothing. */
function print(
  kind: 'stripes' | 'pinstripes' | 'dots' | 'flowers' | 'knit',
  c: Cloth,
): Pick<Drawing, 'defs' | 'overlay'> {
  const ink = mix(c.fill, c.fill === '#f4f4f2' ? '#1f2f4f' : '#ffffff', 0.75);
  const tile = {
    stripes: `<pattern id='p' width='5' height='5' patternUnits='userSpaceOnUse'><rect y='3' width='5' height='1.6' fill='${seam(c.fill, 0.55)}'/></pattern>`,
    pinstripes: `<pattern id='p' width='3.5' height='4' patternUnits='userSpaceOnUse'><rect width='.4' height='4' fill='${seam(c.fill, 0.35)}'/></pattern>`,
    dots: `<pattern id='p' width='6' height='6' patternUnits='userSpaceOnUse'><circle cx='1.5' cy='1.5' r='.8' fill='${ink}'/><circle cx='4.5' cy='4.5' r='.8' fill='${ink}'/></pattern>`,
    flowers: `<pattern id='p' width='8' height='8' patternUnits='userSpaceOnUse'><g fill='${ink}'><circle cx='2' cy='1.2' r='.7'/><circle cx='2' cy='2.8' r='.7'/><circle cx='1.2' cy='2' r='.7'/><circle cx='2.8' cy='2' r='.7'/><circle cx='6' cy='6' r='.6'/></g><circle cx='2' cy='2' r='.45' fill='#e8b84a'/></pattern>`,
    knit: `<pattern id='p' width='2.4' height='3' patternUnits='userSpaceOnUse'><path d='M0,0L1.2,1.6L2.4,0' fill='none' stroke='${seam(c.fill, 0.25)}' stroke-width='.3'/></pattern>`,
  }[kind];
  return { defs: tile, overlay: 'url(#p)' };
}

/** The inside of a round neck: the back of the neckline shows above the front one. */
function crewNeck(c: Cloth, y = 19, halfWidth = 9, top = 12): string {
  const [l, r] = [50 - halfWidth, 50 + halfWidth];
  return (
    shape(
      `M${l},${top}Q50,${top + 4},${r},${top}Q${r - 3},${y - 0.5},50,${y}Q${l + 3},${y - 0.5},${l},${top}Z`,
      c.inside,
    ) +
    lines(
      `M${l - 0.6},${top + 1.2}Q${l + 2.6},${y + 1.5},50,${y + 2}Q${r - 2.6},${y + 1.5},${r + 0.6},${top + 1.2}`,
      c.stitch,
      0.4,
    )
  );
}

/** Short-sleeved tee: `polo` adds a collar and placket, kids' tees carry a small print. */
function tee(c: Cloth, style: 'crew' | 'polo' | 'kids'): Drawing {
  const outline = symmetric(
    [50, 19],
    [
      [56, 18.5, 59, 12],
      [72, 15],
      [88, 29],
      [80, 38],
      [71, 31.5],
      [70, 58, 72.5, 84],
      [50, 85],
    ],
  );
  let details =
    lines(mirrored('M86.1,27.3L78.1,36.3'), c.stitch, 0.4, dashed) +
    lines('M28.5,81.5L71.5,81.5', c.stitch, 0.4, dashed);
  if (style === 'polo') {
    details +=
      shape(`M41,12Q50,15,59,12L50,19Z`, c.inside) +
      shape(mirrored('M50,19L59,11L62,13L55,24Z'), c.fill, ` stroke='${c.stitch}' stroke-width='.4'`) +
      lines('M47.5,19L47.5,33L52.5,33L52.5,19', c.stitch, 0.4) +
      circle(50, 25, 0.8, c.stitch) +
      circle(50, 30, 0.8, c.stitch);
  } else {
    details += crewNeck(c);
  }
  if (style === 'kids') {
    // a small sun or a bear face on the chest
    const ink = mix(c.fill, c.fill === '#f3dd5b' ? '#c8282e' : '#ffffff', 0.8);
    details +=
      c.variant % 2 === 0
        ? circle(50, 45, 6, ink) +
          lines(
            'M50,35L50,37.5M50,52.5L50,55M40,45L42.5,45M57.5,45L60,45M43,38L44.8,39.8M57,38L55.2,39.8M43,52L44.8,50.2M57,52L55.2,50.2',
            ink,
            1,
          )
        : circle(44.5, 39.5, 2.4, ink) +
          circle(55.5, 39.5, 2.4, ink) +
          circle(50, 45, 6, ink) +
          circle(47.6, 44, 0.8, c.fill) +
          circle(52.4, 44, 0.8, c.fill) +
          circle(50, 47.2, 1.1, c.fill);
    return { outline, details };
  }
  if (style === 'crew' && c.variant % 3 === 1) return { outline, details, ...print('stripes', c) };
  if (c.variant % 3 === 2) details += lines('M57,30L64,30L64,37L57,37Z', c.stitch, 0.4, dashed);
  return { outline, details };
}

/** Long-sleeved shirt laid flat, sleeves alongside: collar, placket and buttons, cuffs, a pocket. */
function shirt(c: Cloth): Drawing {
  const outline = symmetric(
    [50, 16],
    [
      [57, 10],
      [72, 13],
      [80, 30],
      [86.5, 64],
      [79, 66],
      [73.5, 34],
      [72.5, 84],
      [67, 92.5, 50, 92],
    ],
  );
  const button = (y: number) => circle(50, y, 0.85, seam(c.fill, 0.45));
  const details =
    shape('M42,10Q50,7.5,58,10L57.5,12.5Q50,10.5,42.5,12.5Z', c.inside) +
    shape(mirrored('M50,16.5L57.5,9.5L61,11.5L56,22Z'), c.fill, ` stroke='${c.stitch}' stroke-width='.4'`) +
    lines('M48,22L48,91.5M52,22L52,91.5', c.stitch, 0.35) +
    [27, 39, 51, 63, 75, 86].map(button).join('') +
    lines(mirrored('M79.5,59.5L85.6,58.5'), c.stitch, 0.4) +
    lines('M30,31L38,31L38,38L34,39.5L30,38Z', c.stitch, 0.35) +
    lines(mirrored('M72.5,78Q70,88,56,90.5'), c.stitch, 0.3, dashed);
  return { outline, details, ...(c.variant % 3 === 1 ? print('pinstripes', c) : {}) };
}

/** Hoodie or sweatshirt with dropped shoulders, rib cuffs and hem. */
function sweat(c: Cloth, neck: 'hood' | 'crew' | 'halfzip'): Drawing {
  const outline = symmetric(
    [50, 22],
    [
      [58, 15],
      [76, 18],
      [90, 58],
      [91, 67],
      [84, 68],
      [82.5, 60],
      [75, 38],
      [75, 80],
      [74, 89],
      [50, 89],
    ],
  );
  const rib = c.inside;
  let details =
    lines(mirrored('M82.6,60.5L90.2,59.3M75,81L50,81'), c.stitch, 0.45) +
    lines(
      mirrored(
        'M27.5,83L27.5,88.5M32,81.3L32,88.7M37,81.3L37,88.7M42,81.3L42,88.7M47,81.3L47,88.7M85.5,61L86,67.5M88,60.5L88.5,67.3',
      ),
      c.stitch,
      0.25,
    );
  let under: string | undefined;
  if (neck === 'hood') {
    under = shape(
      'M36,21Q34,5,50,4.5Q66,5,64,21Z',
      mix(c.fill, '#000000', 0.06),
      ` stroke='${c.stitch}' stroke-width='.4'`,
    );
    details +=
      shape('M42,15Q50,31,58,15Q50,19,42,15Z', rib) +
      lines('M46.5,24L45.5,36M53.5,24L54.5,36', mix(c.fill, '#ffffff', 0.6), 0.7) +
      lines('M36,63L64,63L67,78L33,78Z', c.stitch, 0.4) +
      lines(mirrored('M36,63L33,78'), c.stitch, 0.9, " stroke-opacity='.4'");
  } else if (neck === 'crew') {
    details += crewNeck(c, 22, 8, 15) + lines('M47,23L50,27L53,23', c.stitch, 0.4);
  } else {
    details +=
      shape('M42,15Q50,12,58,15L58,20Q50,22,42,20Z', c.fill, ` stroke='${c.stitch}' stroke-width='.4'`) +
      lines('M50,21L50,42', seam(c.fill, 0.5), 0.9) +
      shape('M49.2,42L50.8,42L50.8,46L49.2,46Z', '#c9ccd1');
  }
  return { outline, details, ...(under ? { under } : {}) };
}

/** Knitwear with set-in long sleeves and a knit texture: sweater, cardigan, or a sleeveless vest. */
function knit(c: Cloth, kind: 'sweater' | 'cardigan' | 'vest'): Drawing {
  const rib = (d: string) => lines(d, c.stitch, 0.35);
  if (kind === 'vest') {
    const outline = symmetric(
      [50, 36],
      [
        [59, 14],
        [68, 14],
        [68, 26, 76, 40],
        [76, 88],
        [50, 89],
      ],
    );
    return {
      outline,
      details:
        rib(mirrored('M50,33L58,15.5M67,16Q67,27,74,40M25,84L50,84')) +
        rib(
          mirrored(
            'M27,84.5L27,88M31,84.5L31,88.5M35,84.5L35,88.5M39,84.5L39,88.5M43,84.5L43,88.5M47,84.5L47,88.5',
          ),
        ),
      ...print('knit', c),
    };
  }
  const outline = symmetric(kind === 'cardigan' ? [50, 34] : [50, 18], [
    ...(kind === 'cardigan' ? ([[58, 12]] as const) : ([[56, 17.5, 58.5, 11.5]] as const)),
    [71, 14],
    [79, 30],
    [85.5, 68],
    [78.5, 69.5],
    [72.5, 35],
    [72, 89],
    [50, 89],
  ]);
  let details =
    rib(mirrored('M78.9,63.5L85,62.5M28,84L50,84')) +
    rib(mirrored('M30,84.5L30,88.5M34,84.5L34,88.5M38,84.5L38,88.5M42,84.5L42,88.5M46,84.5L46,88.5'));
  if (kind === 'cardigan') {
    details +=
      shape('M42,12Q50,9,58,12L50,34Z', c.inside) +
      rib(mirrored('M50,34L57,13')) +
      lines('M50,34L50,89', c.stitch, 0.6) +
      [42, 52, 62, 72, 82].map((y) => circle(51.8, y, 0.9, seam(c.fill, 0.5))).join('');
  } else {
    details += crewNeck(c, 18, 8.5, 11.5);
  }
  return { outline, details, ...print('knit', c) };
}

type JacketKind = 'blazer' | 'overcoat' | 'trench' | 'bomber' | 'puffer' | 'shell' | 'denim' | 'field';

/** Jackets and coats: the collar, closure, pockets and length differ by kind. */
function jacket(c: Cloth, kind: JacketKind): Drawing {
  const long = kind === 'overcoat' || kind === 'trench';
  const hem = long ? 95 : kind === 'blazer' ? 86 : 82;
  const outline = symmetric(
    [50, 16],
    [
      [57, 10],
      [73, 13],
      [81, 30],
      [88, 70],
      [80.5, 72],
      [74, 36],
      [long ? 76 : 73.5, hem],
      [50, hem + 1],
    ],
  );
  const s = c.stitch;
  const pocketY = long ? 66 : hem - 18;
  let details = lines(mirrored('M80.8,66.5L87.4,65.5'), s, 0.45);
  let under: string | undefined;
  switch (kind) {
    case 'blazer':
    case 'overcoat':
    case 'trench':
      details +=
        shape('M42,10Q50,7.5,58,10L50,16Z', c.inside) +
        shape(
          mirrored('M50,16L57,10L60.5,12.5L58.5,24L61.5,25.5L53,42Z'),
          c.fill,
          ` stroke='${s}' stroke-width='.4'`,
        ) +
        lines(`M50,42L50,${hem + 1}`, s, 0.4) +
        lines(mirrored(`M30,${pocketY}L40,${pocketY}`), s, 0.6) +
        (kind === 'blazer'
          ? circle(52.5, 50, 1, seam(c.fill, 0.5)) + circle(52.5, 60, 1, seam(c.fill, 0.5))
          : [50, 60, 70]
              .map((y) => circle(44, y, 1, seam(c.fill, 0.5)) + circle(56, y, 1, seam(c.fill, 0.5)))
              .join(''));
      if (kind === 'trench')
        details +=
          shape('M26.5,54L73.5,54L73.5,58L26.5,58Z', c.fill, ` stroke='${s}' stroke-width='.4'`) +
          shape('M47,53L53,53L53,59L47,59Z', 'none', ` stroke='${seam(c.fill, 0.5)}' stroke-width='.7'`);
      return { outline, details };
    case 'denim':
      details +=
        shape(mirrored('M50,16L57,9.5L62,12L56,21Z'), c.fill, ` stroke='${s}' stroke-width='.4'`) +
        lines(`M50,16L50,${hem + 1}`, '#d9a441', 0.45, dashed) +
        lines(
          mirrored('M30,30L41,30L41,37L35.5,39L30,37ZM30,30L41,30L40,33.5L35.5,35L31,33.5Z'),
          '#d9a441',
          0.4,
          dashed,
        ) +
        lines(mirrored(`M26,${hem - 6}L50,${hem - 6}`), '#d9a441', 0.4, dashed) +
        [24, 36, 48, 60, 72].map((y) => circle(51.5, y, 0.9, '#b8863a')).join('');
      return { outline, details };
    case 'puffer':
      details +=
        shape('M41,9Q50,6,59,9L59,17Q50,20,41,17Z', c.fill, ` stroke='${s}' stroke-width='.4'`) +
        lines(
          mirrored(
            'M27,28Q38,31,50,28M26.8,40Q38,43,50,40M26.5,52Q38,55,50,52M26.3,64Q38,67,50,64M75.4,42L82.9,42M77.2,52L84.7,52M79,62L86.4,62',
          ),
          s,
          0.4,
        ) +
        lines(`M50,17L50,${hem + 1}`, seam(c.fill, 0.5), 0.8);
      return { outline, details };
    case 'shell':
    case 'field':
    case 'bomber':
      if (kind === 'shell')
        under = shape(
          'M37,18Q36,5,50,4.5Q64,5,63,18Z',
          mix(c.fill, '#000000', 0.08),
          ` stroke='${s}' stroke-width='.4'`,
        );
      details +=
        (kind === 'shell'
          ? shape('M42,14Q50,26,58,14Q50,17,42,14Z', c.inside) +
            lines(mirrored('M26.5,40L50,40'), mix(c.fill, '#ffffff', 0.55), 1.4, " stroke-opacity='.7'")
          : shape(
              'M41,9Q50,6,59,9L58.5,15Q50,17.5,41.5,15Z',
              kind === 'bomber' ? c.inside : c.fill,
              ` stroke='${s}' stroke-width='.4'`,
            )) +
        lines(`M50,16L50,${hem + 1}`, seam(c.fill, 0.55), 0.9) +
        lines(mirrored(`M31,${pocketY}L39,${pocketY + 7}`), s, 0.6) +
        (kind === 'bomber' ? lines(mirrored(`M26.5,${hem - 5}L50,${hem - 5}`), s, 0.4) : '') +
        (kind === 'field' ? lines(mirrored('M30,30L40,30L40,38L30,38Z'), s, 0.4, dashed) : '');
      return { outline, details, ...(under ? { under } : {}) };
  }
}

type DressKind = 'sleeved' | 'slip' | 'shirtdress' | 'skirt';

/** Dresses with a fitted waist and a flared skirt, and the A-line skirt on its own. */
function dress(c: Cloth, kind: DressKind, pattern: 'flowers' | 'choice'): Drawing {
  const s = c.stitch;
  const chosen = pattern === 'flowers' ? print('flowers', c) : c.variant % 3 === 1 ? print('dots', c) : {};
  if (kind === 'skirt') {
    const outline = symmetric(
      [50, 14],
      [
        [68, 14],
        [68.5, 21],
        [84, 90],
        [67, 94, 50, 94],
      ],
    );
    return {
      outline,
      details:
        lines(mirrored('M31.5,21L50,21M56,24L61,90'), s, 0.4) + circle(64, 17.5, 0.9, seam(c.fill, 0.5)),
      ...chosen,
    };
  }
  const skirt: Array<[number, number] | [number, number, number, number]> = [
    [62, 41],
    [70, 66, 82, 91],
    [66, 95, 50, 94.5],
  ];
  let outline: string;
  let details = lines(mirrored('M38,41Q44,42.5,50,42.5M56.5,45L62,91.5'), s, 0.35);
  if (kind === 'slip') {
    outline = symmetric([50, 28], [[55, 20, 61, 18.5], [64, 21], ...skirt]);
    details += lines(mirrored('M59.5,19L61,6'), c.fill, 0.9) + lines(mirrored('M59.5,19L61,6'), s, 0.2);
  } else {
    outline = symmetric([50, 17], [[57, 9.5], [66, 11.5], [76.5, 20], [71.5, 26], [65, 22], ...skirt]);
    details += lines(mirrored('M75,18.5L70,24'), s, 0.35, dashed);
    if (kind === 'shirtdress')
      details +=
        shape('M43,9.5Q50,7.5,57,9.5L50,17Z', c.inside) +
        shape(mirrored('M50,17L57,9L60,11L55.5,21Z'), c.fill, ` stroke='${s}' stroke-width='.4'`) +
        lines('M50,17L50,94', s, 0.4) +
        [24, 31, 50, 60, 70].map((y) => circle(51.5, y, 0.8, seam(c.fill, 0.45))).join('') +
        shape('M36.5,39L63.5,39L63.5,43.5L36.5,43.5Z', seam(c.fill, 0.2));
    else details += shape('M43,9.5Q50,12,57,9.5Q55,16,50,17Q45,16,43,9.5Z', c.inside);
  }
  return { outline, details, ...chosen };
}

type LegKind = 'wide' | 'straight' | 'slim' | 'cropped' | 'jogger' | 'cargo' | 'leggings';

/** Trousers laid flat: waistband, fly, pockets and crease; jeans add topstitching, rivets and fades. */
function trousers(c: Cloth, leg: LegKind, jeans: boolean): Drawing {
  const [outer, inner, hem] = {
    wide: [85, 53, 94],
    straight: [77.5, 54.5, 94],
    slim: [72, 55.5, 94],
    cropped: [77, 54.5, 86],
    jogger: [73.5, 56, 94],
    cargo: [78, 54.5, 94],
    leggings: [68.5, 55.5, 94],
  }[leg];
  const outline = symmetric(
    [50, 10],
    [
      [72, 10],
      [73.5, 20],
      [outer, hem],
      [inner, hem],
      [50, 38],
    ],
  );
  const s = jeans ? '#d9a441' : c.stitch;
  const stitch = jeans ? dashed : '';
  const elastic = leg === 'jogger' || leg === 'leggings';
  let details = lines(mirrored('M28,16L50,16'), c.stitch, 0.45);
  if (elastic) {
    details += lines(
      mirrored('M30,12L30,15.5M34,12L34,15.5M38,12L38,15.5M42,12L42,15.5M46,12L46,15.5'),
      c.stitch,
      0.25,
    );
    if (leg === 'jogger')
      details +=
        lines('M48,16L47,25M52,16L53,25', mix(c.fill, '#ffffff', 0.6), 0.6) +
        lines(mirrored(`M${outer - 0.4},${hem - 6}L${inner + 0.4},${hem - 6}`), c.stitch, 0.45);
  } else {
    details +=
      lines(mirrored('M33,10L33,16M45,10L45,16'), c.stitch, 0.9) +
      lines('M53,16.5L53,31Q53,34,50,35.5', s, 0.4, stitch) +
      lines(mirrored(jeans ? 'M60,16.5Q62,24,72.8,25.5' : 'M64,16.5L71.5,30'), s, 0.4, stitch) +
      circle(50, 13, 0.9, jeans ? '#b8863a' : seam(c.fill, 0.45));
  }
  if (jeans) {
    details +=
      lines('M62,17L66.5,17L66.5,21.5L62.5,22Z', s, 0.35, stitch) +
      circle(61, 17.6, 0.6, '#b8863a') +
      circle(72.8, 25.5, 0.6, '#b8863a') +
      lines(mirrored('M36,28L43,27M35,31L42,30.5M37,34L42.5,34'), '#ffffff', 0.6, " stroke-opacity='.35'") +
      lines(mirrored(`M${outer - 3},${hem - 2.5}L${inner + 0.5},${hem - 2.5}`), s, 0.35, stitch) +
      `<ellipse cx='38' cy='52' rx='6' ry='12' fill='#fff' opacity='.12' filter='url(#b)'/><ellipse cx='62' cy='52' rx='6' ry='12' fill='#fff' opacity='.12' filter='url(#b)'/>`;
  } else if (leg !== 'leggings') {
    const mid = (outer + inner) / 2;
    details += lines(mirrored(`M62,22L${mid},${hem - 1}`), c.stitch, 0.3, " stroke-opacity='.6'");
  }
  if (leg === 'cargo')
    details +=
      shape(mirrored('M68,46L76,46L77,58L69,58Z'), c.fill, ` stroke='${c.stitch}' stroke-width='.4'`) +
      lines(mirrored('M68.2,49L76.2,49'), c.stitch, 0.4);
  return { outline, details };
}

interface GarmentShape {
  draw: (c: Cloth) => Drawing;
  /** Children's clothes are drawn smaller, as they lie on the same table. */
  scale?: number;
}

const kids = (draw: (c: Cloth) => Drawing): GarmentShape => ({ draw, scale: 0.86 });
const plain = (draw: (c: Cloth) => Drawing): GarmentShape => ({ draw });

/** Every garment noun the demo seeds, to the picture of what it names. */
export const GARMENT_SHAPES: Record<string, GarmentShape> = {
  短袖T恤女: plain((c) => tee(c, 'crew')),
  圆领T恤: plain((c) => tee(c, 'crew')),
  纯色打底T恤: plain((c) => tee(c, 'crew')),
  印花短袖上衣: plain((c) => ({ ...tee(c, 'crew'), ...print('dots', c) })),
  大码短袖T恤: plain((c) => tee(c, 'crew')),
  胖mm上衣: plain((c) => tee(c, 'crew')),
  大码打底衫: plain((c) => tee(c, 'crew')),
  短袖T恤男: plain((c) => tee(c, 'crew')),
  重磅T恤: plain((c) => tee(c, 'crew')),
  polo衫: plain((c) => tee(c, 'polo')),
  儿童短袖T恤: kids((c) => tee(c, 'kids')),
  男童T恤: kids((c) => tee(c, 'kids')),
  女童T恤: kids((c) => tee(c, 'kids')),
  宝宝卡通上衣: kids((c) => tee(c, 'kids')),
  长袖衬衫女: plain(shirt),
  职业衬衫: plain(shirt),
  法式衬衫: plain(shirt),
  防晒衬衫外搭: plain(shirt),
  长袖衬衫男: plain(shirt),
  商务衬衫: plain(shirt),
  牛津纺衬衫: plain(shirt),
  休闲衬衫: plain(shirt),
  连帽卫衣女: plain((c) => sweat(c, 'hood')),
  连帽卫衣男: plain((c) => sweat(c, 'hood')),
  加绒卫衣: plain((c) => sweat(c, 'hood')),
  运动卫衣: plain((c) => sweat(c, 'hood')),
  圆领卫衣: plain((c) => sweat(c, 'crew')),
  半拉链卫衣: plain((c) => sweat(c, 'halfzip')),
  针织开衫: plain((c) => knit(c, 'cardigan')),
  毛衣女: plain((c) => knit(c, 'sweater')),
  针织背心: plain((c) => knit(c, 'vest')),
  打底针织衫: plain((c) => knit(c, 'sweater')),
  短款外套: plain((c) => jacket(c, 'field')),
  西装外套女: plain((c) => jacket(c, 'blazer')),
  风衣: plain((c) => jacket(c, 'trench')),
  毛呢大衣: plain((c) => jacket(c, 'overcoat')),
  牛仔夹克: plain((c) => jacket(c, 'denim')),
  夹克外套男: plain((c) => jacket(c, 'field')),
  冲锋衣: plain((c) => jacket(c, 'shell')),
  飞行员夹克: plain((c) => jacket(c, 'bomber')),
  羽绒服: plain((c) => jacket(c, 'puffer')),
  儿童外套: kids((c) => jacket(c, 'puffer')),
  男童夹克: kids((c) => jacket(c, 'bomber')),
  女童风衣: kids((c) => jacket(c, 'trench')),
  儿童冲锋衣: kids((c) => jacket(c, 'shell')),
  连衣裙: plain((c) => dress(c, 'sleeved', 'choice')),
  收腰长裙: plain((c) => dress(c, 'sleeved', 'choice')),
  碎花连衣裙: plain((c) => dress(c, 'sleeved', 'flowers')),
  吊带裙: plain((c) => dress(c, 'slip', 'choice')),
  衬衫裙: plain((c) => dress(c, 'shirtdress', 'choice')),
  大码连衣裙: plain((c) => dress(c, 'sleeved', 'choice')),
  胖mm连衣裙: plain((c) => dress(c, 'sleeved', 'flowers')),
  大码A字裙: plain((c) => dress(c, 'skirt', 'choice')),
  阔腿裤: plain((c) => trousers(c, 'wide', false)),
  西装裤女: plain((c) => trousers(c, 'straight', false)),
  直筒休闲裤: plain((c) => trousers(c, 'straight', false)),
  九分裤: plain((c) => trousers(c, 'cropped', false)),
  休闲裤男: plain((c) => trousers(c, 'straight', false)),
  工装裤: plain((c) => trousers(c, 'cargo', false)),
  束脚运动裤: plain((c) => trousers(c, 'jogger', false)),
  直筒西裤: plain((c) => trousers(c, 'straight', false)),
  牛仔裤女: plain((c) => trousers(c, 'straight', true)),
  直筒牛仔裤: plain((c) => trousers(c, 'straight', true)),
  小脚牛仔裤: plain((c) => trousers(c, 'slim', true)),
  阔腿牛仔裤: plain((c) => trousers(c, 'wide', true)),
  牛仔裤男: plain((c) => trousers(c, 'straight', true)),
  修身牛仔裤: plain((c) => trousers(c, 'slim', true)),
  宽松牛仔裤: plain((c) => trousers(c, 'wide', true)),
  儿童运动裤: kids((c) => trousers(c, 'jogger', false)),
  男童长裤: kids((c) => trousers(c, 'straight', false)),
  女童打底裤: kids((c) => trousers(c, 'leggings', false)),
  儿童牛仔裤: kids((c) => trousers(c, 'straight', true)),
};

/**
 * A flat-lay picture of the garment a noun names (e.g. `连帽卫衣男`), in the swatch's colour, as an
 * SVG document. `variant` picks the background, the angle and, for some garments, a print.
 */
export function garmentSvg(noun: string, swatch: Swatch, variant: number): string {
  const found = GARMENT_SHAPES[noun];
  if (!found) throw new Error(`no picture for the garment "${noun}"`);
  const cloth: Cloth = {
    fill: swatch.hex,
    stitch: seam(swatch.hex),
    inside: mix(swatch.hex, '#000000', 0.35),
    variant: variant % 7,
  };
  const drawing = found.draw(cloth);
  return picture({
    ...drawing,
    background: backgroundFor(variant >>> 3),
    fill: swatch.hex,
    tilt: ((variant >>> 6) % 7) - 3,
    ...(found.scale ? { scale: found.scale } : {}),
  });
}

/** The demo picture of a garment in one colour, as an image URL; `key` (the title) varies background and angle. */
export function garmentPicture(noun: string, swatch: Swatch, key: string): string {
  return dataUrl(garmentSvg(noun, swatch, hashOf(key)));
}
