import { z } from 'zod';

/**
 * The one rule for free text the API accepts: names, addresses, notes, titles, descriptions, search
 * queries, carriers, size labels … Every module's schemas build their text fields from here.
 *
 * - Trimmed of white space at both ends (multi-line text also turns `\r\n` into `\n`).
 * - Refused (400 validation_failed), never silently cleaned:
 *   - control characters: C0 (single-line text: all of them; multi-line text: all but `\t` and `\n`),
 *     DEL and C1. PostgreSQL cannot even store NUL (SQLSTATE 22021 / 22P05);
 *   - format characters (Unicode Cf): zero-width spaces, non-joiners and joiners, the byte-order mark,
 *     word joiners, invisible operators, left-to-right / right-to-left marks, bidi embeddings,
 *     overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make text read differently from what
 *     it is; the one exception is a zero-width joiner inside an emoji sequence (👨‍👩‍👧) and the tags of
 *     a flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿);
 *   - line and paragraph separators (U+2028, U+2029), invisible fillers (U+115F, U+1160, U+3164,
 *     U+FFA0, U+034F), non-characters (U+FDD0–U+FDEF, U+FFFE, U+FFFF) and unpaired surrogates.
 * - Capped: `max` (required) and `min` count UTF-16 code units of the trimmed text.
 */

export interface TextOptions {
  /** Fewest characters after trimming (default 0; give 1 for a required field). */
  min?: number;
  /** Most characters after trimming. */
  max: number;
}

export interface ForbiddenChar {
  /** Offset in the string (UTF-16 code units). */
  index: number;
  codePoint: number;
}

const EMOJI = /^\p{Extended_Pictographic}$/u;
const FORMAT = /^\p{Cf}$/u;
const ZWJ = 0x200d;
const BLACK_FLAG = 0x1f3f4;
const isTag = (cp: number) => cp >= 0xe0020 && cp <= 0xe007f;
/** Variation selector 16 and skin-tone modifiers may sit between an emoji and a joiner. */
const isEmojiModifier = (cp: number) => cp === 0xfe0f || (cp >= 0x1f3fb && cp <= 0x1f3ff);
const INVISIBLE_FILLERS = new Set([0x034f, 0x115f, 0x1160, 0x3164, 0xffa0]);

function isForbiddenCodePoint(cp: number, multiLine: boolean): boolean {
  if (cp < 0x20) return !(multiLine && (cp === 0x09 || cp === 0x0a));
  if (cp >= 0x7f && cp <= 0x9f) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // only unpaired surrogates reach here
  if (cp === 0x2028 || cp === 0x2029) return true;
  if (INVISIBLE_FILLERS.has(cp)) return true;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return true;
  return FORMAT.test(String.fromCodePoint(cp));
}

/** The first character the text rule refuses, or undefined when there is none. */
export function findForbiddenChar(
  text: string,
  options: { multiLine?: boolean } = {},
): ForbiddenChar | undefined {
  const multiLine = options.multiLine ?? false;
  const cps = Array.from(text, (ch) => ch.codePointAt(0) as number);
  let index = 0;
  let inFlagTags = false;
  for (let i = 0; i < cps.length; i += 1) {
    const cp = cps[i] as number;
    const width = cp > 0xffff ? 2 : 1;
    if (isForbiddenCodePoint(cp, multiLine)) {
      let allowed = false;
      if (cp === ZWJ) {
        // Inside an emoji ZWJ sequence: an emoji (maybe with modifiers) before, an emoji after.
        let j = i - 1;
        while (j >= 0 && isEmojiModifier(cps[j] as number)) j -= 1;
        const before = cps[j];
        const after = cps[i + 1];
        allowed =
          before !== undefined &&
          after !== undefined &&
          EMOJI.test(String.fromCodePoint(before)) &&
          EMOJI.test(String.fromCodePoint(after));
      } else if (isTag(cp)) {
        allowed = inFlagTags || cps[i - 1] === BLACK_FLAG;
      }
      if (!allowed) return { index, codePoint: cp };
    }
    inFlagTags = isTag(cp) ? cp !== 0xe007f && (inFlagTags || cps[i - 1] === BLACK_FLAG) : false;
    index += width;
  }
  return undefined;
}

const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** Trims white space at both ends (String#trim would also eat a byte-order mark, which is refused instead). */
export function trimText(text: string): string {
  return text.replace(EDGE_SPACE, '');
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * A zod refinement that refuses the characters the text rule forbids, naming the first one found
 * (`must not contain control or invisible characters (U+200B at 3)`). For strings that are not
 * free text but still must be clean, such as URLs.
 */
export function refuseForbiddenChars(options: { multiLine?: boolean } = {}) {
  return (value: string, ctx: z.RefinementCtx) => {
    const found = findForbiddenChar(value, options);
    if (found) {
      ctx.addIssue({
        code: 'custom',
        message: `must not contain control, invisible or text-direction characters (${hex(found.codePoint)} at ${found.index})`,
      });
    }
  };
}

function text({ min = 0, max }: TextOptions, multiLine: boolean) {
  return z
    .string()
    .overwrite((s) => trimText(multiLine ? s.replace(/\r\n/g, '\n') : s))
    .superRefine(refuseForbiddenChars({ multiLine }))
    .min(min)
    .max(max);
}

/** One line of free text: a name, an address line, a title, a search query, a size label. */
export function singleLineText(options: TextOptions) {
  return text(options, false);
}

/** Free text that may span lines (`\n`, and `\t`): descriptions, notes. */
export function multiLineText(options: TextOptions) {
  return text(options, true);
}
