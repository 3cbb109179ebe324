import type { FastifyRequest } from 'fastify';
import { originOf } from '../../platform/csrf.ts';

/**
 * Cross-site WebSocket hijacking: a browser sends our cookies with an upgrade a page of any origin
 * asks for, so a signed-in socket is accepted only when its Origin is our own. A socket without an
 * Origin comes from a program (browsers always send it on upgrades) and is allowed, as csrf.ts allows
 * a write without one. Anonymous sockets carry nothing to hijack.
 */
export function socketOriginAllowed(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const theirs = originOf(Array.isArray(origin) ? origin.join(',') : origin);
  const own = originOf(`${req.protocol}://${req.host}`);
  return theirs !== null && own !== null && theirs === own;
}
