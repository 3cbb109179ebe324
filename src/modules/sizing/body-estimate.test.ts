import { describe, expect, it } from 'vitest';
import { estimateBody } from './body-estimate.ts';
import { bustFromBraSize, sizeOrdinal } from './size-labels.ts';

describe('estimateBody (committed model)', () => {
  it('gives plausible measurements for a 175 cm / 70 kg man', () => {
    const b = estimateBody({ heightCm: 175, weightKg: 70, age: 30, sex: 'male' });
    expect(b.estimates.chest.cm).toBeGreaterThan(88);
    expect(b.estimates.chest.cm).toBeLessThan(104);
    expect(b.estimates.waist.cm).toBeGreaterThan(74);
    expect(b.estimates.waist.cm).toBeLessThan(92);
    expect(b.estimates.inseam.cm).toBeGreaterThan(76);
    expect(b.estimates.inseam.cm).toBeLessThan(90);
    expect(b.estimates.shoulder.cm).toBeGreaterThan(36);
    expect(b.estimates.shoulder.cm).toBeLessThan(45);
    expect(b.estimates.chest.sdCm).toBeGreaterThan(1);
    expect(b.estimates.chest.sdCm).toBeLessThan(8);
    expect(b.outOfRange).toBe(false);
  });

  it('is larger for a heavier person of the same height', () => {
    const a = estimateBody({ heightCm: 165, weightKg: 55, sex: 'female', age: 30 });
    const b = estimateBody({ heightCm: 165, weightKg: 85, sex: 'female', age: 30 });
    for (const z of ['chest', 'waist', 'hip'] as const)
      expect(b.estimates[z].cm).toBeGreaterThan(a.estimates[z].cm + 5);
  });

  it('widens uncertainty smoothly outside the survey range and flags it', () => {
    const sds = [190, 200, 210, 220].map((h) =>
      estimateBody({ heightCm: h, weightKg: 95, sex: 'male', age: 30 }),
    );
    const inseam = sds.map((s) => s.estimates.inseam.sdCm);
    for (let i = 1; i < inseam.length; i++) expect(inseam[i]).toBeGreaterThanOrEqual(inseam[i - 1]);
    expect(inseam[3]).toBeGreaterThan(inseam[0] * 1.5);
    expect(sds[3].outOfRange).toBe(true);
    expect(sds[3].notes).toContainEqual({
      code: 'outside_survey_range',
      params: { measure: 'height', value: 220, min: expect.any(Number), max: expect.any(Number) },
    });
    expect(sds[0].notes).toEqual([]);
    const old = estimateBody({ heightCm: 175, weightKg: 75, sex: 'male', age: 80 });
    expect(old.outOfRange).toBe(true);
  });

  it('shifts waist with belly shape and chest with bra size', () => {
    const base = { heightCm: 165, weightKg: 62, sex: 'female' as const, age: 30 };
    const flat = estimateBody({ ...base, bellyShape: 'flat' }).estimates.waist.cm;
    const avg = estimateBody(base).estimates.waist.cm;
    const round = estimateBody({ ...base, bellyShape: 'round' }).estimates.waist.cm;
    expect(flat).toBeLessThan(avg - 1);
    expect(round).toBeGreaterThan(avg + 1);
    const small = estimateBody({ ...base, braSize: '32A' }).estimates.chest.cm;
    const big = estimateBody({ ...base, braSize: '38DD' }).estimates.chest.cm;
    expect(big).toBeGreaterThan(small + 5);
    expect(estimateBody({ ...base, hipShape: 'wide' }).estimates.hip.cm).toBeGreaterThan(
      estimateBody(base).estimates.hip.cm,
    );
    const s = estimateBody({ ...base, usualSize: 'S' }).estimates.chest;
    const xl = estimateBody({ ...base, usualSize: 'XL' }).estimates.chest;
    expect(xl.cm).toBeGreaterThan(s.cm + 3);
    expect(xl.sdCm).toBeLessThan(estimateBody(base).estimates.chest.sdCm);
  });

  it('works without sex or age, and rejects invalid answers', () => {
    const b = estimateBody({ heightCm: 170, weightKg: 65 });
    expect(b.estimates.chest.cm).toBeGreaterThan(80);
    expect(b.notes).toEqual([
      { code: 'sex_unknown', params: {} },
      { code: 'age_unknown', params: {} },
    ]);
    expect(() => estimateBody({ heightCm: -1, weightKg: 65 })).toThrow();
  });
});

describe('size labels', () => {
  it('parses bra sizes (US and EU) and size ordinals', () => {
    expect(bustFromBraSize('34C')).toBeCloseTo(37 * 2.54, 5);
    expect(bustFromBraSize('75B')).toBe(90);
    expect(bustFromBraSize('hello')).toBeUndefined();
    expect(sizeOrdinal('M')).toBe(0);
    expect(sizeOrdinal('2XL')).toBe(sizeOrdinal('XXL'));
    expect(sizeOrdinal('8')).toBe(0);
    expect(sizeOrdinal('12')).toBe(1);
  });
});
