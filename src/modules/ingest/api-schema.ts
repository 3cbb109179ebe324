import { z } from 'zod';

export const ingestStatus = z
  .object({
    publishing: z
      .boolean()
      .meta({ description: 'An accepted publisher (right stream key) is streaming now' }),
    since: z.iso.datetime().nullable().meta({ description: 'Since when, while publishing' }),
    bitrateKbps: z.number().int().nullable().meta({ description: 'Incoming kbit/s over the last seconds' }),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    recorded: z
      .boolean()
      .meta({ description: 'A recording of the session exists (replay clips cut from it)' }),
    mode: z.enum(['embedded', 'external', 'none']).meta({
      description: 'The embedded RTMP server of this process, an external service, or no ingest here',
    }),
  })
  .meta({ id: 'IngestStatus' });

export const merchantIngest = z
  .object({
    rtmpUrl: z.string().meta({ description: 'OBS "Server": rtmp://host:port/live' }),
    streamKey: z.string().meta({ description: "The session's secret stream key" }),
    obsStreamKey: z.string().meta({ description: 'OBS "Stream Key": <sessionId>?key=<streamKey>' }),
    publishUrl: z.string().meta({ description: 'The whole URL for ffmpeg: -f flv <publishUrl>' }),
    playUrl: z.string().meta({ description: 'Where buyers play it (HTTP-FLV on this origin)' }),
    status: ingestStatus,
  })
  .meta({ id: 'MerchantIngest' });
