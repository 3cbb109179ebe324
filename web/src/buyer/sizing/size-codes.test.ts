import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  recommendationSchema,
  sizeDecisionSchema,
  verdictSchema,
} from '../../../../src/modules/sizing/api-schema.ts';
import { estimateBodyUnchecked } from '../../../../src/modules/sizing/body-estimate.ts';
import { PLAUSIBILITY_FLAGS } from '../../../../src/modules/sizing/body-plausibility.ts';
import { FIT_LEVELS } from '../../../../src/modules/sizing/fit-zone-reason.ts';
import { garmentZoneSchema } from '../../../../src/modules/sizing/schemas.ts';
import { SIZE_NOTE_CODES, sizeNoteSchema } from '../../../../src/modules/sizing/size-notes.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { levelKey } from '../../shared/sizing-api.ts';
import { sizeNoteText } from './size-note-text.ts';

/**
 * The size assistant answers in codes with parameters, never sentences: every code the server's
 * answer schemas allow must read as words in both languages, or a buyer sees a key.
 */

const lookup = (messages: object, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

/** The i18n key of every code the server can send, from its answer schemas. */
function serverCodeKeys(): string[] {
  const keys: string[] = [];
  for (const zone of garmentZoneSchema.options) keys.push(`sizing.zones.${zone}`);
  for (const level of FIT_LEVELS) keys.push(`sizing.levels.${levelKey(level)}`);
  for (const code of SIZE_NOTE_CODES) keys.push(`sizing.notes.${code}`);
  for (const option of sizeNoteSchema.options) {
    const params = option.shape.params.shape as Record<string, { options?: readonly string[] }>;
    for (const measure of params.measure?.options ?? []) keys.push(`sizing.measures.${measure}`);
  }
  for (const option of sizeDecisionSchema.options) {
    const d = option.shape as Record<string, { value?: string; options?: readonly (string | null)[] }>;
    const code = d.code?.value;
    if (code === 'beyond')
      for (const dir of d.direction?.options ?? []) keys.push(`sizing.decision.beyond_${dir}`);
    if (code === 'between') {
      keys.push('sizing.decision.between', 'sizing.decision.betweenHint');
      const preference = option.shape as { preference?: { unwrap: () => { options: readonly string[] } } };
      for (const lean of preference.preference?.unwrap().options ?? [])
        keys.push(`sizing.decision.lean_${lean}`);
    }
  }
  for (const source of recommendationSchema.shape.chartSource.options)
    if (source === 'category') keys.push('sizing.chartTypical');
  for (const flag of PLAUSIBILITY_FLAGS) keys.push(`sizing.check.flags.${flag}`);
  for (const verdict of verdictSchema.options) keys.push(`sizing.insights.verdicts.${verdict}`);
  return keys;
}

describe('codes of the size assistant', () => {
  it('every code the server can send has a zh-CN and an en message', () => {
    const keys = serverCodeKeys();
    expect(keys.length).toBeGreaterThan(30);
    const missing = keys.flatMap((key) =>
      [
        ['zh-CN', zhCN],
        ['en', en],
      ].flatMap(([lang, messages]) => {
        const text = lookup(messages as object, key);
        return typeof text === 'string' && text !== '' ? [] : [`${lang} ${key}`];
      }),
    );
    expect(missing).toEqual([]);
  });

  it('a note’s message uses only the parameters the server sends with it', () => {
    for (const option of sizeNoteSchema.options) {
      const code = option.shape.code.value;
      const params = Object.keys(option.shape.params.shape);
      for (const messages of [zhCN, en]) {
        const text = lookup(messages, `sizing.notes.${code}`) as string;
        const used = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
        for (const name of used) expect(params, `${code}: {{${name}}}`).toContain(name);
      }
    }
  });
});

describe('notes on a body estimate, worded', () => {
  it('reads the server’s notes in both languages, the measure named in the reader’s', async () => {
    const t = async (lng: 'zh-CN' | 'en') => {
      const i18n = i18next.createInstance();
      await i18n.init({
        resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
        lng,
        interpolation: { escapeValue: false },
      });
      return (key: string, params?: Record<string, unknown>) => i18n.t(key, params);
    };
    const notes = estimateBodyUnchecked({ heightCm: 230, weightKg: 90, braSize: 'XYZ' }).notes;
    expect(notes.map((n) => n.code)).toEqual(
      expect.arrayContaining(['sex_unknown', 'bra_size_unknown', 'outside_survey_range']),
    );
    const tEn = await t('en');
    const tZh = await t('zh-CN');
    const range = notes.find((n) => n.code === 'outside_survey_range');
    if (range?.code !== 'outside_survey_range') throw new Error('no range note');
    expect(sizeNoteText(range, tEn)).toMatch(
      new RegExp(
        `^Height \\(cm\\) 230 is outside the body survey’s range \\(${range.params.min}–${range.params.max}\\)`,
      ),
    );
    expect(sizeNoteText(range, tZh)).toMatch(/^身高（cm） 230 超出人体调查的范围/);
    for (const n of notes) {
      for (const text of [sizeNoteText(n, tEn), sizeNoteText(n, tZh)]) {
        expect(text).not.toMatch(/\{\{|sizing\./);
      }
    }
    const bra = notes.find((n) => n.code === 'bra_size_unknown');
    if (!bra) throw new Error('no bra note');
    expect(sizeNoteText(bra, tEn)).toBe('Bra size “XYZ” was not recognised and was left out');
  });
});
