/** A colour name buyers see and the swatch the demo image paints with it. */
export interface Swatch {
  name: string;
  hex: string;
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** Dark text on light swatches, light text on dark ones. */
function inkFor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const luminance = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return luminance > 150 ? '#1f1f1f' : '#ffffff';
}

/**
 * A deterministic product picture: a square card in the product's colour with its short name,
 * colour and brand. Small (well under 1 KB of SVG) so listing pages load fast.
 */
export function productCard(shortName: string, swatch: Swatch, brand: string): string {
  const ink = inkFor(swatch.hex);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">` +
    `<rect width="400" height="400" fill="${swatch.hex}"/>` +
    `<rect x="24" y="24" width="352" height="352" rx="28" fill="none" stroke="${ink}" stroke-opacity=".25" stroke-width="4"/>` +
    `<text x="200" y="190" font-family="sans-serif" font-size="64" font-weight="700" text-anchor="middle" fill="${ink}">${escapeXml(shortName)}</text>` +
    `<text x="200" y="258" font-family="sans-serif" font-size="30" text-anchor="middle" fill="${ink}" fill-opacity=".85">${escapeXml(swatch.name)}</text>` +
    (brand
      ? `<text x="200" y="340" font-family="sans-serif" font-size="24" text-anchor="middle" fill="${ink}" fill-opacity=".6">${escapeXml(brand)}</text>`
      : '') +
    `</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
