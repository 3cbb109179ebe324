/** The merchant's short-video calls: upload (with progress), list, edit, publish, hide; and what to link. */

import { API_BASE } from '../../api/client.ts';
import { ApiError, api, type BodyOf, type ResponseOf } from '../../api.ts';

export type MyVideo = ResponseOf<'/merchant/videos', 'get'>['items'][number];
export type VideoKind = MyVideo['kind'];
export type VideoPatch = BodyOf<'/merchant/videos/{id}', 'patch'>;
export const VIDEO_KINDS: VideoKind[] = ['seeding', 'reservation', 'replay', 'plain'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The upload form's kind and session from the page's query (`?kind=replay&session=<id>`, the session
 * report's "Upload a clip" link); anything unknown is ignored (a seeding video, no session).
 */
export function uploadPreset(params: URLSearchParams): { kind: VideoKind; liveSessionId?: string } {
  const asked = params.get('kind');
  const kind = VIDEO_KINDS.find((k) => k === asked) ?? 'seeding';
  const session = params.get('session');
  return kind === 'reservation' || kind === 'replay'
    ? { kind, ...(session && UUID.test(session) ? { liveSessionId: session } : {}) }
    : { kind };
}

/** A live session of my store as the live module's console list gives it (only what this page shows). */
export interface MySession {
  id: string;
  title: string;
  scheduledAt: string;
  status: string;
}

export interface UploadInput {
  file: File;
  title: string;
  kind: VideoKind;
  productIds: string[];
  liveSessionId?: string;
}

const errorOf = (status: number, text: string): ApiError => {
  let body: { error?: { code?: string; message?: string; details?: unknown } } | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return new ApiError(status, {
    code: body?.error?.code ?? `http_${status}`,
    message: body?.error?.message ?? `HTTP ${status}`,
    details: body?.error?.details,
  });
};

export const merchantVideosApi = {
  list: (signal?: AbortSignal) => api.get('/merchant/videos', { signal }),
  update: (id: string, body: VideoPatch) =>
    api.patch('/merchant/videos/{id}', { params: { path: { id } }, body }),
  publish: (id: string) => api.post('/merchant/videos/{id}/publish', { params: { path: { id } } }),
  hide: (id: string) => api.post('/merchant/videos/{id}/hide', { params: { path: { id } } }),
  products: (signal?: AbortSignal) =>
    api.get('/merchant/products', {
      params: { query: { page: 1, pageSize: 100, status: 'on_sale' } },
      signal,
    }),
  /** The live module's session list; an empty list while the live module is not there. */
  sessions: async (signal?: AbortSignal): Promise<MySession[]> => {
    const res = await fetch(`${API_BASE}/merchant/live/sessions`, { credentials: 'include', signal });
    if (!res.ok) return [];
    const body = (await res.json().catch(() => null)) as { items?: MySession[] } | MySession[] | null;
    return Array.isArray(body) ? body : (body?.items ?? []);
  },
  /** Multipart upload through XHR, for its progress events (fetch has none for uploads). */
  upload: (input: UploadInput, onProgress: (percent: number) => void): Promise<MyVideo> =>
    new Promise((resolve, reject) => {
      const q = new URLSearchParams({ kind: input.kind });
      if (input.title) q.set('title', input.title);
      if (input.productIds.length > 0) q.set('productIds', input.productIds.join(','));
      if (input.liveSessionId) q.set('liveSessionId', input.liveSessionId);
      const form = new FormData();
      form.append('file', input.file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${API_BASE}/merchant/videos?${q}`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => {
        if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as MyVideo);
        else reject(errorOf(xhr.status, xhr.responseText));
      };
      xhr.onerror = () => reject(new ApiError(0, { code: 'network_error', message: 'Network error' }));
      xhr.send(form);
    }),
};
