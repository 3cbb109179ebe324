import type { SizeNote } from '../../shared/sizing-api.ts';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A note the server made on a body estimate (a code with parameters), in the reader's language. */
export function sizeNoteText(note: SizeNote, t: Translate): string {
  if (note.code === 'outside_survey_range') {
    return t('sizing.notes.outside_survey_range', {
      ...note.params,
      measure: t(`sizing.measures.${note.params.measure}`),
    });
  }
  return t(`sizing.notes.${note.code}`, note.params);
}
