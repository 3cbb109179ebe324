import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { zodApi } from '../../platform/routes.ts';
import { IMAGE_TYPES, openImage } from './media.ts';

/** A binary body in the document; in code, the file's stream. */
const imageBytes = z.custom<Readable>().meta({ type: 'string', format: 'binary' });

/**
 * `GET /media/:file`: uploaded images, outside the `/api/v1` prefix. Only names the upload code
 * generates are served, from `<dataDir>/media` and nowhere else.
 */
export function mediaRoutes(dataDir: string) {
  return (fastify: FastifyInstance) => {
    zodApi(fastify).get(
      '/media/:file',
      {
        schema: {
          tags: ['catalog'],
          operationId: 'getMedia',
          summary: 'An uploaded image',
          params: z.object({ file: z.string().max(64) }),
          // The bytes go out as a stream, which Fastify never passes to a serializer: these schemas
          // only tell the document (and a generated client) that the answer is a binary image.
          response: {
            200: {
              description: 'The image, cached for a year (its name never changes)',
              content: Object.fromEntries(IMAGE_TYPES.map((type) => [type, { schema: imageBytes }])),
            },
          },
        },
      },
      async (req, reply) => {
        const image = await openImage(dataDir, req.params.file);
        return reply
          .header('content-type', image.mime)
          .header('content-length', image.size)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(image.stream);
      },
    );
  };
}
