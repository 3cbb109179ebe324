import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from './errors.ts';

export type Role = 'buyer' | 'merchant' | 'operator';

/** Who is making a request: resolved from the session cookie on every request. */
export interface Actor {
  accountId: string;
  role: Role;
  phone: string;
  /** For merchant staff: the store they work for. */
  storeId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'gravity_session';

export function requireActor(request: FastifyRequest, ...roles: Role[]): Actor {
  const actor = request.actor;
  if (!actor) throw unauthorized();
  if (roles.length > 0 && !roles.includes(actor.role)) {
    throw forbidden(`This needs a ${roles.join(' or ')} account`);
  }
  return actor;
}

/** A merchant account that has opened its store. */
export function requireMerchantStore(request: FastifyRequest): Actor & { storeId: string } {
  const actor = requireActor(request, 'merchant');
  if (!actor.storeId) throw forbidden('Open your store first');
  return actor as Actor & { storeId: string };
}
