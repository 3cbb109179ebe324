import { describe, expect, it } from 'vitest';
import { bodyMassIndex, implausibleAnswers } from './body-plausibility.ts';

describe('implausible answers', () => {
  it('flags 219 cm and 40 kg: a BMI of 8 and taller than anyone in the survey', () => {
    expect(bodyMassIndex(219, 40)).toBeCloseTo(8.3, 1);
    expect(implausibleAnswers({ heightCm: 219, weightKg: 40 })).toEqual(['bmi_low', 'height_high']);
  });

  it('accepts ordinary adults, small and large', () => {
    expect(implausibleAnswers({ heightCm: 164, weightKg: 56, age: 29 })).toEqual([]);
    expect(implausibleAnswers({ heightCm: 150, weightKg: 38, age: 40 })).toEqual([]);
    expect(implausibleAnswers({ heightCm: 180, weightKg: 150 })).toEqual([]);
  });

  it('flags a BMI above 50 and an adult shorter than 130 cm', () => {
    expect(implausibleAnswers({ heightCm: 160, weightKg: 140 })).toEqual(['bmi_high']);
    expect(implausibleAnswers({ heightCm: 120, weightKg: 25, age: 30 })).toEqual(['height_low']);
  });

  it('lets children be leaner than adults', () => {
    expect(implausibleAnswers({ heightCm: 120, weightKg: 18, age: 6 })).toEqual([]);
    expect(implausibleAnswers({ heightCm: 120, weightKg: 18 })).toEqual([]);
    expect(implausibleAnswers({ heightCm: 170, weightKg: 38, age: 30 })).toEqual(['bmi_low']);
  });
});
