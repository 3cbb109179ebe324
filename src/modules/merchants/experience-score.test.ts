import { describe, expect, it } from 'vitest';
import { type ExperienceInputs, emptyInputs, experienceScore, suggestions } from './experience-score.ts';

/** Figures worked out by hand from the formulas in experience-score.ts (prior weight 5). */
describe('store experience score formulas', () => {
  it('a store with no data sits at the neutral 4.00 in every dimension, without enough data', () => {
    // R = 20/5 = 4, Q = 0; S = 4.5/5 = 0.9 → ship 4, H = 240/5 = 48 → delivery 4; T = 60/5 = 12 → 4, D = 0.5/5 → 4.
    expect(experienceScore(emptyInputs())).toEqual({
      overall: 400,
      product: 400,
      logistics: 400,
      service: 400,
      enoughData: { product: false, logistics: false, service: false },
    });
  });

  const poor: ExperienceInputs = {
    product: {
      reviews: 5,
      ratingSum: 10,
      defaultReviews: 3,
      lowRatings: 5,
      linesDelivered: 15,
      qualityRefunds: 2,
    },
    logistics: { due: 5, onTime: 2, delivered: 5, deliveryHours: 360 },
    service: { requests: 5, handled: 5, handlingHours: 120, disputes: 3 },
  };

  it('a poor store, hand-computed', () => {
    // product: R = (10 + 20) / 10 = 3.0, Q = 2 / 20 = 0.1 → 3.0 − 1.0 = 2.00 (default reviews not counted)
    // logistics: S = (2 + 4.5) / 10 = 0.65 → ship 5 − 3.5 = 1.5; H = (360 + 240) / 10 = 60 → 5 − 36/24 = 3.5;
    //   0.6·1.5 + 0.4·3.5 = 2.30
    // service: T = (120 + 60) / 10 = 18 → 5 − 1.5 = 3.5; D = (3 + 0.5) / 10 = 0.35 → 1.5; 0.5·3.5 + 0.5·1.5 = 2.50
    // overall: 0.4·200 + 0.3·230 + 0.3·250 = 224
    expect(experienceScore(poor)).toEqual({
      overall: 224,
      product: 200,
      logistics: 230,
      service: 250,
      enoughData: { product: true, logistics: true, service: true },
    });
  });

  it('says what to improve with the raw figures, rates in percent', () => {
    expect(suggestions(poor, experienceScore(poor).enoughData)).toEqual([
      { dimension: 'product', code: 'low_rating', params: { avg: 2, low: 5, reviews: 5 } },
      { dimension: 'product', code: 'quality_refunds', params: { refunds: 2, lines: 15, rate: 13.3 } },
      { dimension: 'logistics', code: 'ship_late', params: { late: 3, due: 5, rate: 60 } },
      { dimension: 'logistics', code: 'slow_delivery', params: { hours: 72 } },
      { dimension: 'service', code: 'disputes', params: { disputes: 3, requests: 5, rate: 60 } },
    ]);
    // 24 h mean handling is at the threshold, not over it; 30 h is over.
    const slow = { ...poor, service: { ...poor.service, handlingHours: 150 } };
    expect(suggestions(slow, experienceScore(slow).enoughData)).toContainEqual({
      dimension: 'service',
      code: 'slow_aftersale',
      params: { hours: 30 },
    });
  });

  it('enough data means at least as many observations as the prior weighs (5)', () => {
    const four = emptyInputs();
    four.product.reviews = 4;
    four.product.ratingSum = 20;
    four.logistics.due = 4;
    four.logistics.onTime = 4;
    four.service.requests = 4;
    const score = experienceScore(four);
    expect(score.enoughData).toEqual({ product: false, logistics: false, service: false });
    // R = (20 + 20) / 9 = 4.444 → 444; S = 8.5 / 9 = 0.9444 → ship 4.444, delivery 4 → 4.2667 → 427;
    // D = 0.5 / 9 = 0.0556 → 4.444, handling 4 → 4.2222 → 422; overall 177.6 + 128.1 + 126.6 = 432.3 → 432
    expect(score).toMatchObject({ product: 444, logistics: 427, service: 422, overall: 432 });
    expect(suggestions(four, score.enoughData)).toEqual([
      { dimension: 'product', code: 'not_enough_data', params: { have: 4, need: 5 } },
      { dimension: 'logistics', code: 'not_enough_data', params: { have: 4, need: 5 } },
      { dimension: 'service', code: 'not_enough_data', params: { have: 4, need: 5 } },
    ]);
  });

  it('a store with much good data nears 5 but each part stays within 0–5', () => {
    const great: ExperienceInputs = {
      product: {
        reviews: 95,
        ratingSum: 475,
        defaultReviews: 0,
        lowRatings: 0,
        linesDelivered: 100,
        qualityRefunds: 0,
      },
      logistics: { due: 95, onTime: 95, delivered: 95, deliveryHours: 95 * 12 },
      service: { requests: 0, handled: 0, handlingHours: 0, disputes: 0 },
    };
    // R = (475 + 20) / 100 = 4.95; S = 99.5 / 100 → ship 4.95; H = (1140 + 240) / 100 = 13.8 → capped 5;
    // logistics = 0.6·4.95 + 0.4·5 = 4.97; overall 198 + 149.1 + 120 = 467.1 → 467
    expect(experienceScore(great)).toMatchObject({
      product: 495,
      logistics: 497,
      service: 400,
      overall: 467,
    });
    const ruined: ExperienceInputs = {
      product: {
        reviews: 95,
        ratingSum: 95,
        defaultReviews: 0,
        lowRatings: 95,
        linesDelivered: 15,
        qualityRefunds: 20,
      },
      logistics: { due: 95, onTime: 0, delivered: 95, deliveryHours: 95 * 400 },
      service: { requests: 95, handled: 95, handlingHours: 95 * 100, disputes: 95 },
    };
    expect(experienceScore(ruined)).toEqual({
      overall: 0,
      product: 0,
      logistics: 0,
      service: 0,
      enoughData: { product: true, logistics: true, service: true },
    });
  });
});
