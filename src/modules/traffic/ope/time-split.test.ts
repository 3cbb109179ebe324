import { describe, expect, it } from 'vitest';
import { splitByTime, splitByTimeAt } from './time-split.ts';

describe('splitByTime', () => {
  it('sorts by timestamp and keeps the first 70% (floor) for training, the rest for evaluation', () => {
    const times = [9, 3, 7, 1, 5, 10, 2, 8, 6, 4];
    const rounds = times.map((timeUs, id) => ({ timeUs, id }));
    const { train, evaluation } = splitByTime(rounds, 0.7);
    expect(train.map((r) => r.timeUs)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(evaluation.map((r) => r.timeUs)).toEqual([8, 9, 10]);
    const lastTrain = Math.max(...train.map((r) => r.timeUs));
    expect(evaluation.every((r) => r.timeUs >= lastTrain)).toBe(true);
  });

  it('is stable for equal timestamps and floors odd sizes', () => {
    const rounds = [
      { timeUs: 2, id: 'a' },
      { timeUs: 1, id: 'b' },
      { timeUs: 2, id: 'c' },
    ];
    const { train, evaluation } = splitByTime(rounds, 0.7);
    expect(train.map((r) => r.id)).toEqual(['b', 'a']);
    expect(evaluation.map((r) => r.id)).toEqual(['c']);
    expect(splitByTime(Array.from({ length: 10_001 }, (_, i) => ({ timeUs: i }))).train).toHaveLength(7000);
  });

  it('rejects shares outside (0, 1)', () => {
    expect(() => splitByTime([], 1)).toThrow(/trainShare/);
    expect(() => splitByTime([], 0)).toThrow(/trainShare/);
  });
});

describe('splitByTimeAt', () => {
  it('cuts after a count of rounds in time order', () => {
    const rounds = [5, 1, 4, 2, 3].map((timeUs) => ({ timeUs }));
    const { train, evaluation } = splitByTimeAt(rounds, 2);
    expect(train.map((r) => r.timeUs)).toEqual([1, 2]);
    expect(evaluation.map((r) => r.timeUs)).toEqual([3, 4, 5]);
    expect(() => splitByTimeAt(rounds, 6)).toThrow(/cut/);
  });
});
