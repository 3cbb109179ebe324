/** The short-video calls of the buyer app: the feed, likes, comments, views, reserving the announced live. */

import { API_BASE } from '../../api/client.ts';
import { ApiError, api, type ResponseOf } from '../../api.ts';

export type FeedVideo = ResponseOf<'/videos/feed', 'get'>['items'][number];
export type VideoComment = ResponseOf<'/videos/{id}/comments', 'get'>['items'][number];

export const videosApi = {
  feed: (cursor: string | null, signal?: AbortSignal) =>
    api.get('/videos/feed', { params: { query: cursor ? { cursor } : {} }, signal }),
  like: (id: string, on: boolean) =>
    on
      ? api.put('/videos/{id}/like', { params: { path: { id } } })
      : api.del('/videos/{id}/like', { params: { path: { id } } }),
  comments: (id: string, signal?: AbortSignal) =>
    api.get('/videos/{id}/comments', { params: { path: { id }, query: {} }, signal }),
  comment: (id: string, body: string) =>
    api.post('/videos/{id}/comments', { params: { path: { id } }, body: { body } }),
  view: (id: string) => api.post('/videos/{id}/views', { params: { path: { id } } }),
  /** The live module's reservation route (`POST /live/sessions/:id/reservations` {sourceVideoId}). */
  reserve: async (sessionId: string, sourceVideoId: string): Promise<void> => {
    const res = await fetch(`${API_BASE}/live/sessions/${sessionId}/reservations`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ sourceVideoId }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null;
      throw new ApiError(res.status, {
        code: body?.error?.code ?? `http_${res.status}`,
        message: body?.error?.message ?? res.statusText,
      });
    }
  },
};
