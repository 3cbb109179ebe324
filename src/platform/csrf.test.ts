import { describe, expect, it } from 'vitest';
import { csrfVerdict, originOf, type WriteHeaders } from './csrf.ts';

const own = 'http://shop.example:3000';
const write = (headers: Partial<WriteHeaders>) => csrfVerdict({ method: 'POST', ownOrigin: own, ...headers });

describe('csrfVerdict', () => {
  it('lets reads through whatever their origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get'])
      expect(csrfVerdict({ method, ownOrigin: own, origin: 'null' }).allow).toBe(true);
  });

  it('refuses a write from an opaque origin (Origin: null)', () => {
    expect(write({ origin: 'null' }).allow).toBe(false);
    expect(write({ origin: 'NULL' }).allow).toBe(false);
    expect(write({ origin: 'null', secFetchSite: 'same-origin' }).allow).toBe(false);
  });

  it('refuses an origin that differs in scheme, host or port, or cannot be read', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(csrfVerdict({ method, ownOrigin: own, origin: 'http://shop.example:4000' }).allow).toBe(false);
      expect(csrfVerdict({ method, ownOrigin: own, origin: 'https://shop.example:3000' }).allow).toBe(false);
      expect(csrfVerdict({ method, ownOrigin: own, origin: 'http://evil.example:3000' }).allow).toBe(false);
      expect(csrfVerdict({ method, ownOrigin: own, origin: 'http://shop.example.evil:3000' }).allow).toBe(
        false,
      );
    }
    expect(write({ origin: 'not a url' }).allow).toBe(false);
    expect(write({ origin: 'file://' }).allow).toBe(false);
    expect(write({ origin: 'chrome-extension://abc' }).allow).toBe(false);
  });

  it('accepts its own origin, compared in canonical form', () => {
    expect(write({ origin: 'http://shop.example:3000' }).allow).toBe(true);
    expect(write({ origin: 'http://SHOP.example:3000' }).allow).toBe(true);
    expect(
      csrfVerdict({ method: 'POST', ownOrigin: 'https://shop.example', origin: 'https://shop.example:443' }),
    ).toEqual({
      allow: true,
    });
    expect(
      csrfVerdict({ method: 'POST', ownOrigin: 'http://[::1]:3000', origin: 'http://[::1]:3000' }).allow,
    ).toBe(true);
  });

  it('takes the scheme it is given: https behind a trusted proxy', () => {
    const behindProxy = { method: 'POST', ownOrigin: 'https://shop.example' };
    expect(csrfVerdict({ ...behindProxy, origin: 'https://shop.example' }).allow).toBe(true);
    expect(csrfVerdict({ ...behindProxy, origin: 'http://shop.example' }).allow).toBe(false);
    // Without the proxy trusted, an https page's write looks like a scheme mismatch; say what to do.
    const refused = csrfVerdict({
      method: 'POST',
      ownOrigin: 'http://shop.example',
      origin: 'https://shop.example',
    });
    expect(refused).toMatchObject({ allow: false, reason: expect.stringContaining('TRUST_PROXY') });
  });

  it('without Origin, follows Sec-Fetch-Site: only same-origin and none pass', () => {
    expect(write({ secFetchSite: 'cross-site' }).allow).toBe(false);
    expect(write({ secFetchSite: 'same-site' }).allow).toBe(false);
    expect(write({ secFetchSite: 'something-new' }).allow).toBe(false);
    expect(write({ secFetchSite: 'same-origin' }).allow).toBe(true);
    expect(write({ secFetchSite: 'none' }).allow).toBe(true);
  });

  it('without Origin or Sec-Fetch-Site, refuses a Referer from another origin and lets programs through', () => {
    expect(write({ referer: 'https://evil.example/page' }).allow).toBe(false);
    expect(write({ referer: 'http://shop.example:3000/orders' }).allow).toBe(true);
    expect(write({}).allow).toBe(true);
  });

  it('originOf canonicalises http(s) origins and rejects the rest', () => {
    expect(originOf('HTTP://Shop.Example:80/x?y')).toBe('http://shop.example');
    expect(originOf('https://a.example:8443')).toBe('https://a.example:8443');
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});
