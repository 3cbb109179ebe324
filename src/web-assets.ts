import type { FastifyStaticOptions } from '@fastify/static';

/**
 * Vite names what it builds into /assets `<name>-<8-character hash>.<ext>`: a file under such a
 * name never changes, so browsers keep it for a year without asking. (A .br or .gz beside it is the
 * same file, compressed.)
 */
const CONTENT_HASHED = /\/assets\/[^/]+-[\w-]{8}\.[a-z0-9]+(\.br|\.gz)?$/;

/**
 * How the built web app (web/dist) is served: the build's .br/.gz files to browsers that accept
 * them, hashed files cached for a year, everything else (index.html, the app shell sent for
 * client-side routes, the favicon) revalidated on every use, so a new build shows at once.
 */
export function webAssetOptions(root: string): FastifyStaticOptions {
  return {
    root,
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        CONTENT_HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  };
}
