/** The live ingest as the merchant's console reads it (`GET /merchant/live/sessions/:id/ingest`). */
import { api, type ResponseOf } from '../../api/client.ts';

export type MerchantIngest = ResponseOf<'/merchant/live/sessions/{id}/ingest', 'get'>;

export type IngestStatus = MerchantIngest['status'];

export const ingestApi = {
  status: (id: string, signal?: AbortSignal) =>
    api.get('/live/sessions/{id}/ingest-status', { params: { path: { id } }, signal }),
  ingest: (id: string, signal?: AbortSignal) =>
    api.get('/merchant/live/sessions/{id}/ingest', { params: { path: { id } }, signal }),
};
