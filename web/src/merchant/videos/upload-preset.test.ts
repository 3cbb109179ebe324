import { describe, expect, it } from 'vitest';
import { uploadPreset } from './videos-api.ts';

describe('the upload form preset from the query', () => {
  const S = '7a1e0000-0000-4000-8000-000000000001';
  it('reads kind and session (the session report’s "Upload a clip" link)', () => {
    expect(uploadPreset(new URLSearchParams(`kind=replay&session=${S}`))).toEqual({
      kind: 'replay',
      liveSessionId: S,
    });
    expect(uploadPreset(new URLSearchParams(`kind=reservation&session=${S}`))).toEqual({
      kind: 'reservation',
      liveSessionId: S,
    });
  });
  it('ignores what it does not know', () => {
    expect(uploadPreset(new URLSearchParams(''))).toEqual({ kind: 'seeding' });
    expect(uploadPreset(new URLSearchParams(`kind=movie&session=${S}`))).toEqual({ kind: 'seeding' });
    expect(uploadPreset(new URLSearchParams(`kind=seeding&session=${S}`))).toEqual({ kind: 'seeding' });
    expect(uploadPreset(new URLSearchParams('kind=replay&session=nope'))).toEqual({ kind: 'replay' });
  });
});
