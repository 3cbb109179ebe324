import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findForbiddenChar, multiLineText, singleLineText } from './text.ts';

const line = singleLineText({ min: 1, max: 40 });
const note = multiLineText({ max: 200 });

/**
 * An independent statement of what stored text may never contain: controls (Cc), format characters
 * (Cf), unpaired surrogates (Cs), line/paragraph separators. Multi-line text may keep \t and \n. The
 * only format characters allowed are a zero-width joiner between two emoji and the tags of a flag.
 */
function oracleFinds(text: string, multiLine: boolean): boolean {
  const withoutAllowedJoins = text
    .replace(
      /(?<=\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]*)\u200d(?=\p{Extended_Pictographic})/gu,
      '',
    )
    .replace(/(?<=\u{1f3f4}[\u{e0020}-\u{e007e}]*)[\u{e0020}-\u{e007f}]/gu, '');
  const rest = multiLine ? withoutAllowedJoins.replace(/[\t\n]/g, '') : withoutAllowedJoins;
  return /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u.test(rest);
}

/** Strings dense in the characters that matter, mixed with ordinary text. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u0000',
      '\u0007',
      '\t',
      '\n',
      '\r',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009f',
      '\u00a0',
      '\u00ad',
      '\u061c',
      '\u180e',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u2028',
      '\u2029',
      '\u202a',
      '\u202e',
      '\u2060',
      '\u2066',
      '\u2069',
      '\u3000',
      '\ufeff',
      '\ufff9',
      '\ud800',
      '\udfff',
      '\u{1f3f4}',
      '\u{e0067}',
      '\u{e007f}',
      '\u{1d173}',
      ' ',
      'a',
      '中',
      '😀',
      '👩',
      '\ufe0f',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});

describe('the text rule for free-text fields', () => {
  it('refuses NUL, other controls, invisible and text-direction characters, naming the first one', () => {
    for (const [input, codePoint] of [
      ['张三\u0000', 'U+0000'],
      ['a\u0007b', 'U+0007'],
      ['a\u001bb', 'U+001B'],
      ['a\u0085b', 'U+0085'],
      ['\ufeff北京市', 'U+FEFF'],
      ['海淀\u200b区', 'U+200B'],
      ['a\u200eb', 'U+200E'],
      ['invoice\u202efdp.exe', 'U+202E'],
      ['a\u2066b\u2069', 'U+2066'],
      ['a\u2060b', 'U+2060'],
      ['a\u2028b', 'U+2028'],
      ['a\u3164b', 'U+3164'],
      ['a\ud800b', 'U+D800'],
      ['a\udfffb', 'U+DFFF'],
      ['a\uffffb', 'U+FFFF'],
      ['a\tb', 'U+0009'],
      ['a\nb', 'U+000A'],
    ] as const) {
      const result = line.safeParse(input);
      expect(result.success, JSON.stringify(input)).toBe(false);
      expect(result.error?.issues.map((i) => i.message).join(' | ')).toContain(codePoint);
    }
  });

  it('multi-line text keeps newlines and tabs, turns CRLF into LF, and refuses a lone CR', () => {
    expect(note.parse('第一行\r\n第二行\n\t缩进')).toBe('第一行\n第二行\n\t缩进');
    expect(note.safeParse('a\rb').success).toBe(false);
    expect(note.safeParse('a\u0000b').success).toBe(false);
    expect(note.safeParse('a\u202eb').success).toBe(false);
  });

  it('accepts Chinese, emoji (with their joiners and flag tags) and trims white space at both ends', () => {
    expect(line.parse('  中关村大街 1 号\u3000')).toBe('中关村大街 1 号');
    expect(line.parse('张三 ❤️ 😀')).toBe('张三 ❤️ 😀');
    expect(line.parse('👨‍👩‍👧 一家人')).toBe('👨‍👩‍👧 一家人');
    expect(line.parse('🏴󠁧󠁢󠁳󠁣󠁴󠁿 苏格兰')).toBe('🏴󠁧󠁢󠁳󠁣󠁴󠁿 苏格兰');
    // a joiner that joins no emoji is refused
    expect(line.safeParse('张\u200d三').success).toBe(false);
    expect(line.safeParse('😀\u200d').success).toBe(false);
    expect(line.safeParse('a\u{e0067}').success).toBe(false);
  });

  it('caps the length after trimming and enforces the minimum', () => {
    expect(line.safeParse(`  ${'字'.repeat(40)}  `).success).toBe(true);
    expect(line.safeParse('字'.repeat(41)).success).toBe(false);
    expect(line.safeParse('   ').success).toBe(false);
    expect(note.safeParse('').success).toBe(true);
  });

  it('property: no accepted string holds a forbidden character, and nothing but white space is removed', () => {
    for (const [schema, multiLine] of [
      [line, false],
      [note, true],
    ] as const) {
      fc.assert(
        fc.property(fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 30 })), (input) => {
          const result = schema.safeParse(input);
          if (!result.success) return;
          expect(oracleFinds(result.data, multiLine), JSON.stringify(result.data)).toBe(false);
          const normalized = multiLine ? input.replace(/\r\n/g, '\n') : input;
          expect(normalized.includes(result.data)).toBe(true);
          expect(normalized.replace(result.data, '')).toMatch(/^\p{White_Space}*$/u);
          expect(result.data.length).toBeLessThanOrEqual(multiLine ? 200 : 40);
        }),
        { numRuns: 2000, seed: 8 },
      );
    }
  });

  it('property: the oracle and the rule agree on every tricky string', () => {
    fc.assert(
      fc.property(tricky, (input) => {
        for (const multiLine of [false, true]) {
          expect(findForbiddenChar(input, { multiLine }) !== undefined, JSON.stringify(input)).toBe(
            oracleFinds(input, multiLine) ||
              /[\u034f\u115f\u1160\u3164\uffa0\u2028\u2029]|\p{Noncharacter_Code_Point}/u.test(input),
          );
        }
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});
