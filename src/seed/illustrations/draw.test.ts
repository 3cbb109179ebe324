import { describe, expect, it } from 'vitest';
import { dataUrl, mirrored, mix, svgOf, symmetric } from './draw.ts';

describe('drawing helpers', () => {
  it('closes a symmetric outline through the mirror image of its right half', () => {
    expect(
      symmetric(
        [50, 10],
        [
          [70, 10],
          [60, 20, 70, 40],
          [50, 40],
        ],
      ),
    ).toBe('M50,10L70,10Q60,20,70,40L50,40L30,40Q40,20,30,10L50,10Z');
  });

  it('repeats a detail on the other side', () => {
    expect(mirrored('M60,10L70.5,20Q80,30,75,40')).toBe(
      'M60,10L70.5,20Q80,30,75,40M40,10L29.5,20Q20,30,25,40',
    );
  });

  it('mixes colours', () => {
    expect(mix('#ffffff', '#000000', 0.5)).toBe('#808080');
    expect(mix('#c8282e', '#c8282e', 0.3)).toBe('#c8282e');
  });

  it('percent-encodes only what a data URL must, and reads it back', () => {
    const svg = `<svg xmlns='http://www.w3.org/2000/svg'><path d='M1,2L3,4' fill='#a1b2c3'/></svg>`;
    const url = dataUrl(svg);
    expect(url).toMatch(/^data:image\/svg\+xml,[A-Za-z0-9+/=%._~!$&'()*,;:@-]+$/);
    expect(url).toContain("d='M1,2L3,4'");
    expect(svgOf(url)).toBe(svg);
  });
});
