import type { FoodItem } from '../foods.ts';
import {
  backgroundFor,
  canvas,
  circle,
  dataUrl,
  hashOf,
  lines,
  mirrored,
  mix,
  seam,
  shape,
  solid,
  symmetric,
  transform,
} from './draw.ts';

/** What a food shape draws: outlines and prints for `<defs>`, then the scene. */
interface Scene {
  defs: string;
  body: string;
}

/** Label colours for packaging, picked per product. */
const ACCENTS = ['#c8342b', '#2f6e4f', '#2f5d8a', '#b5651d'];

const outlineDef = (id: string, d: string) => `<path id='${id}' d='${d}'/>`;
const place = (moves: Parameters<typeof transform>[0], body: string) => `<g${transform(moves)}>${body}</g>`;
/** Another copy of a defined object `#id`, moved. */
const copy = (id: string, moves: Parameters<typeof transform>[0]) =>
  `<use href='#${id}'${transform(moves)}/>`;

/** Small dark specks over a fill: grain, seeds, peel. */
const specks = (id: string, colour: string, size = 2.2) =>
  `<pattern id='${id}' width='${size}' height='${size}' patternUnits='userSpaceOnUse'><circle cx='.6' cy='.6' r='.35' fill='${colour}'/><circle cx='${size / 2 + 0.6}' cy='${size / 2 + 0.6}' r='.3' fill='${colour}'/></pattern>`;

/** A sack of rice or grain: gathered top, stitched seam, a label with a wheat ear, grains in front. */
function sack(hex: string, accent: string): Scene {
  const ear = mirrored(
    'M50,44Q45,45,44.5,48Q48,48,50,46M50,50Q45,51,44.5,54Q48,54,50,52M50,56Q45,57,44.5,60Q48,60,50,58',
  );
  const grains = [
    [77, 84, 30],
    [81, 88, -20],
    [85, 83, 60],
    [78, 91, 80],
    [87, 90, 10],
  ]
    .map(([x, y, r]) => `<ellipse cx='${x}' cy='${y}' rx='1.4' ry='.7' transform='rotate(${r},${x},${y})'/>`)
    .join('');
  return {
    defs: outlineDef(
      's',
      symmetric(
        [50, 19],
        [
          [58, 16.5, 66, 19],
          [70, 17],
          [73, 30, 72.5, 78],
          [72, 87, 62, 88],
          [50, 88],
        ],
      ),
    ),
    body:
      solid('s', hex) +
      lines('M29,25L71,25', seam(hex), 0.5, " stroke-dasharray='1,1'") +
      lines(mirrored('M50,21Q58,19,69,20'), seam(hex, 0.15), 0.6) +
      `<rect x='34' y='38' width='32' height='32' rx='3' fill='${accent}'/>` +
      lines('M50,43L50,66', '#fff', 0.7) +
      shape(ear, '#fff') +
      lines('M36,67L64,67', '#fff', 0.4, " stroke-opacity='.6'") +
      `<g fill='${mix(hex, '#ffffff', 0.5)}' stroke='${seam(hex, 0.2)}' stroke-width='.2'>${grains}</g>`,
  };
}

/** A bowl seen from a little above, full of grain in `hex`. */
function bowlOf(id: string, hex: string, glaze: string, moves: Parameters<typeof transform>[0]): string {
  return place(
    moves,
    `<use href='#w' x='.8' y='1.6' opacity='.22' filter='url(#b)'/><use href='#w' fill='${glaze}' stroke='${seam(glaze, 0.15)}' stroke-width='.4'/>` +
      `<ellipse cx='50' cy='50' rx='26' ry='8' fill='${hex}'/><ellipse cx='50' cy='50' rx='26' ry='8' fill='url(#${id})'/>` +
      `<ellipse cx='50' cy='49' rx='14' ry='3.5' fill='#fff' opacity='.25'/><use href='#w' fill='url(#l)'/>`,
  );
}

const bowlOutline = outlineDef('w', 'M22,50Q22,44,50,42Q78,44,78,50Q76,78,58,80L42,80Q24,78,22,50Z');

/** Millet in a ceramic bowl, a few grains spilt beside it. */
function bowl(hex: string, accent: string): Scene {
  return {
    defs: bowlOutline + specks('g', seam(hex, 0.25), 1.6),
    body:
      bowlOf('g', hex, '#fbfaf7', { y: 4 }) +
      lines('M24.5,60Q50,66,75.5,60', accent, 1.2, " stroke-opacity='.8'") +
      [72, 76, 80, 74, 84].map((x, i) => circle(x, 88 + (i % 3) * 1.6, 0.7, hex)).join(''),
  };
}

/** Three small bowls of mixed grains and beans. */
function grainBowls(hex: string): Scene {
  const fills: Array<[string, string, number, number]> = [
    [hex, 'g', -2, 8],
    ['#7b2430', 'h', 46, 8],
    ['#3b3040', 'k', 22, 44],
  ];
  return {
    defs:
      bowlOutline +
      specks('g', seam(hex, 0.3), 1.8) +
      specks('h', '#4a1219', 2.2) +
      specks('k', '#6b5a72', 1.8),
    body: fills.map(([fill, id, x, y]) => bowlOf(id, fill, '#fbfaf7', { x, y, scale: 0.56 })).join(''),
  };
}

/** A stand-up pouch with a zip, a window and a label; `loose` is drawn beside it. */
function pouch(hex: string, accent: string, loose: string, window: string): Scene {
  return {
    defs: outlineDef(
      's',
      symmetric(
        [50, 14],
        [
          [69, 14],
          [70.5, 20],
          [73, 82],
          [72, 90, 50, 90],
        ],
      ),
    ),
    body:
      place(
        { x: -10 },
        solid('s', hex) +
          lines('M30.5,22L69.5,22', seam(hex), 0.6) +
          lines('M30.5,24L69.5,24', seam(hex, 0.15), 0.4) +
          shape('M36,34L64,34L64,48L36,48Z', accent) +
          lines('M40,41L60,41', '#fff', 1.6, " stroke-opacity='.85'") +
          `<rect x='40' y='55' width='20' height='22' rx='4' fill='${window}' stroke='${seam(hex, 0.2)}' stroke-width='.5'/>`,
      ) + loose,
  };
}

/** Almonds, cashews and hazelnuts. */
function nuts(): string {
  return (
    [
      [76, 72, 20],
      [84, 80, -30],
      [72, 86, 70],
    ]
      .map(
        ([x, y, r]) =>
          `<ellipse cx='${x}' cy='${y}' rx='4' ry='2.4' fill='#9a5b31' transform='rotate(${r},${x},${y})'/>`,
      )
      .join('') +
    lines('M80,66Q86,64,87,70M85,88Q90,91,93,86', '#e7c995', 2.6) +
    circle(90, 77, 2.6, '#7a4a2a') +
    circle(78, 92, 2.4, '#7a4a2a')
  );
}

/** Strips of jerky. */
function jerky(hex: string): string {
  return [
    [80, 70, 70],
    [86, 78, 100],
    [78, 86, 60],
  ]
    .map(
      ([x, y, r]) =>
        `<rect x='${(x as number) - 8}' y='${(y as number) - 2.2}' width='16' height='4.4' rx='2' fill='${mix(hex, '#000000', 0.1)}' transform='rotate(${r},${x},${y})'/>`,
    )
    .join('');
}

/** A pillow bag of crisps with crimped ends, crisps spilling out. */
function crispBag(hex: string, accent: string): Scene {
  const crimp = (y: number) =>
    Array.from(
      { length: 11 },
      (_, i) => `${i === 0 ? 'M' : 'L'}${28 + i * 4.4},${y + (i % 2 ? 1.6 : 0)}`,
    ).join('');
  const crisp = (x: number, y: number, r: number) =>
    `<ellipse cx='${x}' cy='${y}' rx='5' ry='3.6' fill='${mix(hex, '#ffffff', 0.35)}' stroke='${seam(hex, 0.25)}' stroke-width='.4' transform='rotate(${r},${x},${y})'/>`;
  return {
    defs: outlineDef(
      's',
      symmetric(
        [50, 10],
        [
          [72, 10],
          [72, 16],
          [78, 48, 72, 80],
          [72, 86],
          [50, 86],
        ],
      ),
    ),
    body:
      place(
        { x: -8, y: 2 },
        solid('s', hex) +
          lines(mirrored('M28,16L50,16M28,80L50,80'), seam(hex), 0.5) +
          lines(crimp(11.5) + crimp(81.5), seam(hex, 0.2), 0.5) +
          circle(50, 46, 15, accent) +
          `<ellipse cx='50' cy='47' rx='8' ry='5.5' fill='${mix(hex, '#ffffff', 0.35)}' transform='rotate(-15,50,47)'/>` +
          lines('M33,68L67,68', accent, 2.2),
      ) +
      crisp(80, 80, 20) +
      crisp(86, 88, -25) +
      crisp(74, 92, 50),
  };
}

/** A round biscuit tin with butter cookies in front of it. */
function cookieTin(hex: string, accent: string): Scene {
  const cookie = (x: number, y: number) =>
    `<g${transform({ x, y })}><use href='#c' x='.5' y='1' opacity='.2' filter='url(#b)'/><use href='#c' fill='${hex}' stroke='${seam(hex, 0.3)}' stroke-width='.5'/>` +
    `${circle(-2.5, -2, 0.9, '#5a3a22')}${circle(2.5, -1, 0.9, '#5a3a22')}${circle(0, 3, 0.9, '#5a3a22')}${circle(3, 3.5, 0.7, '#5a3a22')}</g>`;
  return {
    defs:
      outlineDef('s', 'M18,36Q18,26,50,26Q82,26,82,36L82,66Q82,76,50,76Q18,76,18,66Z') +
      outlineDef('c', 'M-8,0Q-8,-8,0,-8Q8,-8,8,0Q8,8,0,8Q-8,8,-8,0Z'),
    body:
      place(
        { y: -8 },
        solid('s', accent) +
          `<ellipse cx='50' cy='36' rx='32' ry='10' fill='${mix(accent, '#ffffff', 0.15)}' stroke='${seam(accent, 0.25)}' stroke-width='.5'/>` +
          `<ellipse cx='50' cy='36' rx='22' ry='6.5' fill='none' stroke='#f1d9a0' stroke-width='1'/>` +
          lines('M18,46Q50,56,82,46M18,62Q50,72,82,62', '#f1d9a0', 1),
      ) +
      cookie(32, 82) +
      cookie(52, 86) +
      cookie(71, 81),
  };
}

/** Three flat packets fanned out, each with a window onto the red strips inside. */
function packets(hex: string): Scene {
  const packet =
    `${solid('s', hex)}<rect x='40' y='36' width='20' height='22' rx='2' fill='#fff6e6'/>` +
    `${lines('M43,40L57,54M47,38L58,48M42,47L52,56', mix(hex, '#000000', 0.15), 2.2)}${lines('M36,24L64,24M36,76L64,76', seam(hex), 0.5)}`;
  return {
    defs: `${outlineDef('s', 'M36,20L64,20L64,80L36,80Z')}<g id='o'>${packet}</g>`,
    body: copy('o', { rotate: -16 }) + copy('o', { rotate: 2 }) + copy('o', { rotate: 18 }),
  };
}

/** An apple with its stem, leaf and highlight. */
function apples(hex: string): Scene {
  const apple =
    solid('s', hex) +
    lines('M50,31Q49,24,52,20', '#5a3a22', 1.4) +
    shape('M52,24Q58,16,66,19Q60,27,52,24Z', '#5d8a3a') +
    `<ellipse cx='40' cy='42' rx='4' ry='7' fill='#fff' opacity='.3' transform='rotate(25,40,42)'/>`;
  return {
    defs: `${outlineDef(
      's',
      symmetric(
        [50, 31],
        [
          [58, 24, 68, 28],
          [81, 34, 79, 53],
          [75, 74, 60, 77],
          [55, 78, 50, 76],
        ],
      ),
    )}<g id='o'>${apple}</g>`,
    body:
      copy('o', { x: -6, y: 28, scale: 0.7 }) +
      copy('o', { x: 32, y: 32, scale: 0.66 }) +
      copy('o', { x: 12, y: -2, scale: 0.72 }),
  };
}

/** Two navel oranges and one cut in half. */
function oranges(hex: string): Scene {
  const segments = Array.from({ length: 8 }, (_, i) => {
    const a = (i * Math.PI) / 4;
    return `M50,50L${(50 + 24 * Math.cos(a)).toFixed(1)},${(50 + 24 * Math.sin(a)).toFixed(1)}`;
  }).join('');
  const whole =
    solid('s', hex, 'url(#p)') +
    circle(58, 40, 1.6, seam(hex, 0.3)) +
    circle(40, 38, 5, '#fff', " opacity='.22'");
  return {
    defs:
      outlineDef('s', 'M22,50Q22,22,50,22Q78,22,78,50Q78,78,50,78Q22,78,22,50Z') +
      specks('p', seam(hex, 0.12), 2) +
      `<g id='o'>${whole}</g>`,
    body:
      copy('o', { x: -4, y: 2, scale: 0.62 }) +
      copy('o', { x: 28, y: -6, scale: 0.62 }) +
      place(
        { x: 14, y: 32, scale: 0.62 },
        solid('s', hex) +
          circle(50, 50, 25, '#fbeed2') +
          circle(50, 50, 23.5, mix(hex, '#ffffff', 0.25)) +
          lines(segments, '#fbeed2', 0.9) +
          circle(50, 50, 2.5, '#fbeed2'),
      ),
  };
}

/** A handful of strawberries with seeds and green tops. */
function strawberries(hex: string): Scene {
  const berry = (x: number, y: number, scale: number, r: number) =>
    place({ x, y, scale }, copy('o', { rotate: r }));
  return {
    defs:
      outlineDef(
        's',
        symmetric(
          [50, 30],
          [
            [64, 26, 68, 38],
            [70, 52, 50, 76],
          ],
        ),
      ) +
      `<pattern id='p' width='4' height='4.5' patternUnits='userSpaceOnUse'><ellipse cx='1' cy='1' rx='.35' ry='.6' fill='#f6d46b'/><ellipse cx='3' cy='3.2' rx='.35' ry='.6' fill='#f6d46b'/></pattern>` +
      `<g id='o'>${solid('s', hex, 'url(#p)')}${shape(mirrored('M50,30L43,24L46,31L36,30L44,34L40,38L50,33'), '#4f8a3a')}${lines('M50,30L50,23', '#4f8a3a', 1.4)}</g>`,
    body:
      berry(-4, 2, 0.62, -20) +
      berry(26, -6, 0.6, 12) +
      berry(38, 28, 0.62, 28) +
      berry(6, 34, 0.6, -8) +
      berry(22, 16, 0.64, 4),
  };
}

/** A tea caddy with loose leaves beside it. */
function teaCaddy(hex: string, accent: string): Scene {
  const leaf = (x: number, y: number, r: number) =>
    `<path d='M0,0Q4,-2.5,8,0Q4,2.5,0,0Z' fill='${mix(hex, '#000000', 0.2)}' transform='translate(${x},${y}) rotate(${r})'/>`;
  return {
    defs: outlineDef('s', 'M30,24L62,24L62,82Q62,86,46,86Q30,86,30,82Z'),
    body:
      place(
        { x: -6 },
        solid('s', hex) +
          `<ellipse cx='46' cy='24' rx='16' ry='4' fill='${mix(hex, '#000000', 0.25)}'/>` +
          shape('M30,42L62,42L62,68L30,68Z', '#f4ecd8') +
          circle(46, 55, 7, accent) +
          shape('M42,55Q46,49,50,55Q46,61,42,55Z', '#f4ecd8'),
      ) +
      [
        [66, 76, 20],
        [72, 82, -30],
        [64, 86, 60],
        [76, 72, 40],
        [78, 88, -10],
        [70, 70, 110],
      ]
        .map(([x, y, r]) => leaf(x as number, y as number, r as number))
        .join(''),
  };
}

/** A cup of pale tea on a saucer, jasmine flowers scattered around. */
function teaCup(hex: string): Scene {
  const flower = (x: number, y: number) => copy('f', { x, y });
  const petals = [0, 72, 144, 216, 288]
    .map((a) => circle(Math.cos((a * Math.PI) / 180) * 1.8, Math.sin((a * Math.PI) / 180) * 1.8, 1.5, '#fff'))
    .join('');
  return {
    defs:
      outlineDef('s', 'M14,62Q14,52,50,52Q86,52,86,62Q86,72,50,72Q14,72,14,62Z') +
      outlineDef('u', 'M26,38L74,38Q72,66,56,68L44,68Q28,66,26,38Z') +
      `<g id='f'>${petals}${circle(0, 0, 0.8, '#e8c85a')}</g>`,
    body:
      solid('s', '#fbfaf7') +
      solid('u', '#fbfaf7') +
      `<ellipse cx='50' cy='38' rx='24' ry='6' fill='#efe9df'/><ellipse cx='50' cy='38.5' rx='21' ry='4.8' fill='${hex}'/>` +
      lines('M74,44Q84,44,80,54Q78,58,70,58', '#efe9df', 2.2) +
      flower(20, 30) +
      flower(82, 28) +
      flower(78, 84) +
      flower(26, 84) +
      flower(50, 88),
  };
}

/** Every food the demo seeds (by its short name) to the picture of it. */
export const FOOD_SHAPES: Record<string, (item: FoodItem, accent: string) => Scene> = {
  大米: (item, accent) => sack(item.hex, accent),
  稻花香: (item, accent) => sack(item.hex, accent),
  小米: (item, accent) => bowl(item.hex, accent),
  杂粮: (item) => grainBowls(item.hex),
  坚果: (item, accent) => pouch(item.hex, accent, nuts(), '#a8744a'),
  牛肉干: (item, accent) => pouch(item.hex, accent, jerky(item.hex), '#5a2218'),
  薯片: (item, accent) => crispBag(item.hex, accent),
  饼干: (item, accent) => cookieTin(item.hex, accent),
  辣条: (item) => packets(item.hex),
  苹果: (item) => apples(item.hex),
  脐橙: (item) => oranges(item.hex),
  草莓: (item) => strawberries(item.hex),
  龙井: (item, accent) => teaCaddy(item.hex, accent),
  茉莉花茶: (item) => teaCup(item.hex),
};

/** A picture of a food item in its colour, as an SVG document; `variant` picks background and label colour. */
export function foodSvg(item: FoodItem, variant: number): string {
  const draw = FOOD_SHAPES[item.shortName];
  if (!draw) throw new Error(`no picture for the food "${item.shortName}"`);
  const scene = draw(item, ACCENTS[variant % ACCENTS.length] as string);
  return canvas(backgroundFor(variant >>> 3), scene.defs, scene.body);
}

/** The demo picture of a food item, as an image URL; `key` (the title) varies background and label. */
export function foodPicture(item: FoodItem, key: string): string {
  return dataUrl(foodSvg(item, hashOf(key)));
}
