import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { zodApi } from '../../platform/routes.ts';
import { openImage } from './media.ts';

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
          summary: 'An uploaded image',
          params: z.object({ file: z.string().max(64) }),
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
