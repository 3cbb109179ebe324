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
  interface FastifyContextConfig {
    /**
     * Who may call the route. Checked for every request before its body is parsed and validated,
     * so a caller who is not signed in gets 401 (and a wrong role 403) whatever they sent.
     * Services still check authorization themselves.
     */
    roles?: readonly Role[];
  }
}

export const ALL_ROLES: readonly Role[] = ['buyer', 'merchant', 'operator'];

/** Route option: the route needs a session with one of these roles (any role when none given). */
export function signedIn(...roles: Role[]): { roles: readonly Role[] } {
  return { roles: roles.length > 0 ? roles : ALL_ROLES };
}

/** The check the app runs ahead of parsing and validation, from the route's declared `roles`. */
export function requireRouteRoles(request: FastifyRequest): void {
  const roles = request.routeOptions.config?.roles;
  if (roles) requireActor(request, ...roles);
}

export const SESSION_COOKIE = 'gravity_session';

/**
 * The caller of a route that declares `config: signedIn(...)`: its roles were checked before the
 * body was read (`requireRouteRoles`), so handlers take the actor from here instead of re-checking.
 */
export function routeActor(request: FastifyRequest): Actor {
  if (!request.actor || !request.routeOptions.config?.roles) throw unauthorized();
  return request.actor;
}

/** The store of the merchant calling a `signedIn('merchant')` route (403 until the store is open). */
export function routeStore(request: FastifyRequest): Actor & { storeId: string } {
  const actor = routeActor(request);
  if (!actor.storeId) throw forbidden('Open your store first');
  return actor as Actor & { storeId: string };
}

function requireActor(request: FastifyRequest, ...roles: Role[]): Actor {
  const actor = request.actor;
  if (!actor) throw unauthorized();
  if (roles.length > 0 && !roles.includes(actor.role)) {
    throw forbidden(`This needs a ${roles.join(' or ')} account`);
  }
  return actor;
}

/**
 * Use-case guards: a service checks the actor itself (routes are not its only caller). Forbidden
 * unless the actor has the role; a merchant also needs a store, whose id is returned.
 */
export function assertBuyer(actor: Actor): void {
  if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
}

export function assertMerchant(actor: Actor): string {
  if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
  return actor.storeId;
}

export function assertOperator(actor: Actor): void {
  if (actor.role !== 'operator') throw forbidden('This needs an operator account');
}
