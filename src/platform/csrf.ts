/**
 * Cross-site request forgery: which writes a browser may have been tricked into sending.
 * A pure rule over the request's headers; the onRequest hook in app.ts refuses what it refuses.
 *
 * A write (any method but GET, HEAD, OPTIONS) is refused when
 * - its Origin is `null` (sandboxed frames, `data:` pages, some redirects: never our own pages),
 *   unreadable, or differs from this server's origin in scheme, host or port;
 * - it has no Origin and the browser's Sec-Fetch-Site says it came from another site
 *   (`cross-site`, or `same-site`: a sibling sub-domain is another origin);
 * - it has neither, and its Referer names another origin.
 * A write with none of these headers comes from a program, not a browser page, and is allowed.
 * The rule does not depend on the session cookie: a forged sign-in or code request is harmful too.
 */

export interface WriteHeaders {
  method: string;
  origin?: string | string[] | undefined;
  secFetchSite?: string | string[] | undefined;
  referer?: string | string[] | undefined;
  /**
   * This server's origin as the client reached it: the scheme is the request's protocol (taken
   * from X-Forwarded-Proto only behind a trusted proxy), host and port from the Host header.
   */
  ownOrigin: string;
}

export type CsrfVerdict = { allow: true } | { allow: false; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_ORIGIN_FETCH = new Set(['same-origin', 'none']);

/** `scheme://host[:port]` in canonical form (lower case, default port dropped), or null. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

export function csrfVerdict(request: WriteHeaders): CsrfVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allow: true };
  const own = originOf(request.ownOrigin);
  // A header sent twice is as suspect as a wrong one: it is read as the joined list, which never matches.
  const [origin, secFetchSite, referer] = [request.origin, request.secFetchSite, request.referer].map((v) =>
    Array.isArray(v) ? v.join(',') : v,
  );
  if (origin !== undefined) {
    if (origin.trim().toLowerCase() === 'null') return refuse('a write from an opaque origin (Origin: null)');
    const theirs = originOf(origin);
    if (theirs === null || own === null || theirs !== own) {
      const hint =
        theirs !== null && own !== null && theirs.replace(/^https:/, 'http:') === own
          ? '; behind a TLS proxy, set TRUST_PROXY'
          : '';
      return refuse(`a write from another origin (${theirs ?? 'unreadable'})${hint}`);
    }
    return { allow: true };
  }
  if (secFetchSite !== undefined) {
    if (SAME_ORIGIN_FETCH.has(secFetchSite.trim().toLowerCase())) return { allow: true };
    return refuse(`a write from another site (Sec-Fetch-Site: ${secFetchSite.slice(0, 20)})`);
  }
  if (referer !== undefined && referer !== '') {
    const from = originOf(referer);
    if (from === null || own === null || from !== own) return refuse('a write from a page of another origin');
  }
  return { allow: true };
}

function refuse(what: string): CsrfVerdict {
  return { allow: false, reason: `Cross-origin write refused: ${what}` };
}
