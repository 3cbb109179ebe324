import { z } from 'zod';

export const noticeSchema = z
  .object({
    id: z.guid(),
    kind: z.string().meta({ description: 'What the notice is about, e.g. `live.started`' }),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().meta({ description: 'A path of the buyer app to open, or null' }),
    createdAt: z.iso.datetime(),
    read: z.boolean(),
  })
  .meta({ id: 'Notice' });
export type Notice = z.infer<typeof noticeSchema>;

export const noticeList = z.object({
  items: z.array(noticeSchema).meta({ description: 'Newest first, at most 100' }),
  unread: z.number().int().nonnegative(),
});

export const markReadBody = z
  .object({
    ids: z
      .array(z.guid())
      .max(100)
      .optional()
      .meta({ description: 'These notices of mine; omitted: all of them' }),
  })
  .strict();
export const markReadAnswer = z.object({ marked: z.number().int().nonnegative(), unread: z.number().int() });
