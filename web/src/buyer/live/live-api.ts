/** The live calls of the buyer app and the room's WebSocket (issue 14). */
import { useEffect, useRef, useState } from 'react';
import type { components } from '../../api/schema.gen.ts';
import { api } from '../../api.ts';

type Schemas = components['schemas'];
export type LiveProduct = Schemas['LiveProduct'];
export type LiveComment = Schemas['LiveComment'];
export type LiveSale = Schemas['LiveSale'];
export type RoomCoupon = Schemas['LiveRoomCoupon'];

export const liveApi = {
  list: (signal?: AbortSignal) => api.get('/live/sessions', { signal }).then((r) => r.items),
  get: (id: string, signal?: AbortSignal) =>
    api.get('/live/sessions/{id}', { params: { path: { id } }, signal }).then((r) => r.session),
  reserve: (id: string) =>
    api.post('/live/sessions/{id}/reservations', { params: { path: { id } }, body: {} }),
  unreserve: (id: string) => api.del('/live/sessions/{id}/reservations', { params: { path: { id } } }),
  notices: (signal?: AbortSignal) => api.get('/me/notices', { signal }),
  readAll: () => api.post('/me/notices/read', { body: {} }),
};
export type LiveSessionView = Awaited<ReturnType<typeof liveApi.get>>;
export type LiveListItem = Awaited<ReturnType<typeof liveApi.list>>[number];

export interface RoomMessage {
  type: string;
  [key: string]: unknown;
}

/** An anonymous client id kept in the browser, so a viewer counts once however often they come back. */
function viewerId(): string {
  try {
    const saved = localStorage.getItem('gravity_live_viewer');
    if (saved) return saved;
    const id = crypto.randomUUID();
    localStorage.setItem('gravity_live_viewer', id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

const socketUrl = (path: string) =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1${path}`;

/**
 * A WebSocket to our server that reconnects (1 s, 2 s … up to 15 s) until the page leaves; each
 * message goes to `onMessage`. `send` answers false while disconnected.
 */
export function useSocket(path: string | null, onMessage: (m: RoomMessage) => void) {
  const [connected, setConnected] = useState(false);
  const socket = useRef<WebSocket | null>(null);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!path) return;
    let closed = false;
    let delay = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const ws = new WebSocket(socketUrl(path));
      socket.current = ws;
      ws.onopen = () => {
        delay = 1000;
        setConnected(true);
      };
      ws.onmessage = (e) => {
        try {
          handler.current(JSON.parse(String(e.data)) as RoomMessage);
        } catch {
          // not ours
        }
      };
      ws.onclose = () => {
        setConnected(false);
        if (closed) return;
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 15_000);
      };
    };
    open();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      socket.current?.close();
    };
  }, [path]);
  const send = (m: RoomMessage) => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(m));
    return true;
  };
  return { connected, send };
}

export const roomPath = (sessionId: string) => `/live/sessions/${sessionId}/room?viewer=${viewerId()}`;
