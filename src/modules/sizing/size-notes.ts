/**
 * What the size assistant tells a person about how it estimated a body: a code with its parameters,
 * never a sentence. The web words each code in the reader's language (`sizing.notes.<code>` in
 * web/src/i18n); a test there checks every code below has both.
 */
import { z } from 'zod';

const noParams = z.object({});

export const sizeNoteSchema = z
  .discriminatedUnion('code', [
    /** No sex was given: the female and male models were averaged. */
    z.object({ code: z.literal('sex_unknown'), params: noParams }),
    /** No age was given: the body survey's median age was used. */
    z.object({ code: z.literal('age_unknown'), params: noParams }),
    /** Neither height nor weight is plausible: the survey's averages were used. */
    z.object({ code: z.literal('height_weight_implausible'), params: noParams }),
    /** The weight is missing or implausible: the body was estimated from the height alone. */
    z.object({ code: z.literal('weight_implausible'), params: noParams }),
    /** The height is missing or implausible: the body was estimated from the weight alone. */
    z.object({ code: z.literal('height_implausible'), params: noParams }),
    /** A measure lies outside the range of the body survey, so the estimate is less certain. */
    z.object({
      code: z.literal('outside_survey_range'),
      params: z.object({
        measure: z.enum(['height', 'weight', 'bmi', 'age']),
        value: z.number(),
        min: z.number(),
        max: z.number(),
      }),
    }),
    /** Height, weight and age together are unusual for the survey, so the estimate is less certain. */
    z.object({ code: z.literal('unusual_combination'), params: noParams }),
    /** A bra size that could not be read; it was left out. */
    z.object({ code: z.literal('bra_size_unknown'), params: z.object({ braSize: z.string() }) }),
    /** A usual size that could not be read; it was left out. */
    z.object({ code: z.literal('usual_size_unknown'), params: z.object({ usualSize: z.string() }) }),
  ])
  .meta({ id: 'SizeNote', description: 'A note on the body estimate: a code with parameters the app words' });

export type SizeNote = z.infer<typeof sizeNoteSchema>;
export type SizeNoteCode = SizeNote['code'];

/** Every code a note can carry. */
export const SIZE_NOTE_CODES: readonly SizeNoteCode[] = sizeNoteSchema.options.map((o) => o.shape.code.value);

type PlainCode = Exclude<SizeNoteCode, 'outside_survey_range' | 'bra_size_unknown' | 'usual_size_unknown'>;

/** A note without parameters. */
export const note = (code: PlainCode): SizeNote => ({ code, params: {} });

/** Notes once each: the same code (and measure) from the two sexes' models counts once, the first kept. */
export function distinctNotes(notes: readonly SizeNote[]): SizeNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = n.code === 'outside_survey_range' ? `${n.code}:${n.params.measure}` : n.code;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
