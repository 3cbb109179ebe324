import type { RealtimeHub, RealtimeMessage } from '../../platform/realtime.ts';

/** What the room needs of a client's socket (a `ws` WebSocket). */
export interface RoomSocket {
  readonly readyState: number;
  /** Bytes queued for the client and not yet written (a `ws` socket's). */
  readonly bufferedAmount?: number;
  send(data: string): void;
  /** Drops the connection at once (its 'close' then leaves the room). */
  terminate?(): void;
}

const OPEN = 1;
/** How long an instance's viewer count stands without a refresh (it repeats it every HEARTBEAT_MS). */
const PRESENCE_TTL_MS = 30_000;
const HEARTBEAT_MS = 10_000;
/** Counts are sent at most this often per room (5,000 joins are not 5,000 messages). */
const FLUSH_MS = 500;
/**
 * A client that stops reading (a stalled or hostile one) would otherwise keep every room message in
 * this process's memory: past this much unsent, its socket is dropped (the page reconnects).
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

interface Room {
  sockets: Set<RoomSocket>;
  unsubscribe: () => void;
  /** Viewers per instance, as they announced them on the presence room. */
  presence: Map<string, { count: number; at: number }>;
  lastSent: number;
  flushTimer: NodeJS.Timeout | null;
}

const presenceRoom = (sessionId: string) => `live-presence:${sessionId}`;

/**
 * The live rooms of this process: the sockets watching each session. A room subscribes to its hub
 * room once and writes each message, serialised once, to every local socket. The viewer count is
 * the sum of every instance's own count: each announces its count on `live-presence:<id>` when it
 * changes (at most every 500 ms) and every 10 s; a count not repeated for 30 s is dropped.
 */
export class LiveRooms {
  private readonly rooms = new Map<string, Room>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly hub: RealtimeHub,
    private readonly instanceId: string,
    private readonly onCount: (sessionId: string, total: number) => void = () => {},
  ) {
    this.heartbeat = setInterval(() => {
      for (const id of this.rooms.keys()) this.announce(id);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Adds a socket to a session's room; returns its leave. */
  join(sessionId: string, socket: RoomSocket): () => void {
    let room = this.rooms.get(sessionId);
    if (!room) {
      const created: Room = {
        sockets: new Set(),
        presence: new Map(),
        lastSent: -1,
        flushTimer: null,
        unsubscribe: () => {},
      };
      const offRoom = this.hub.subscribe(`live:${sessionId}`, (m) => this.broadcast(created, m));
      const offPresence = this.hub.subscribe(presenceRoom(sessionId), (m) => this.onPresence(sessionId, m));
      created.unsubscribe = () => {
        offRoom();
        offPresence();
      };
      this.rooms.set(sessionId, created);
      room = created;
    }
    room.sockets.add(socket);
    this.schedule(sessionId);
    const joined = room;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.sockets.delete(socket);
      this.schedule(sessionId);
    };
  }

  /** Viewers of a session now, across instances (as far as this one knows). */
  viewers(sessionId: string): number {
    const room = this.rooms.get(sessionId);
    if (!room) return 0;
    const now = Date.now();
    let total = 0;
    for (const [instance, p] of room.presence) {
      if (instance === this.instanceId) continue;
      if (now - p.at <= PRESENCE_TTL_MS) total += p.count;
    }
    return total + room.sockets.size;
  }

  /** This process's sockets of a session. */
  localSockets(sessionId: string): ReadonlySet<RoomSocket> {
    return this.rooms.get(sessionId)?.sockets ?? new Set();
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const room of this.rooms.values()) {
      if (room.flushTimer) clearTimeout(room.flushTimer);
      room.unsubscribe();
    }
    this.rooms.clear();
  }

  /** Sends a message to this process's sockets of a session only (not through the hub). */
  sendLocal(sessionId: string, message: RealtimeMessage): void {
    const room = this.rooms.get(sessionId);
    if (room) this.broadcast(room, message);
  }

  private broadcast(room: Room, message: RealtimeMessage): void {
    const data = JSON.stringify(message);
    for (const socket of room.sockets) {
      if (socket.readyState !== OPEN) continue;
      if ((socket.bufferedAmount ?? 0) > MAX_BUFFERED_BYTES) {
        socket.terminate?.();
        continue;
      }
      socket.send(data);
    }
  }

  private schedule(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room || room.flushTimer) return;
    room.flushTimer = setTimeout(() => {
      room.flushTimer = null;
      this.announce(sessionId);
    }, FLUSH_MS);
    room.flushTimer.unref();
  }

  private announce(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    this.hub.publish(presenceRoom(sessionId), {
      type: 'presence',
      instance: this.instanceId,
      count: room.sockets.size,
    });
    this.sendCount(sessionId);
    if (room.sockets.size === 0) {
      // Nobody here any more: stop listening (other instances drop our count when it is 0 or stale).
      if (room.flushTimer) clearTimeout(room.flushTimer);
      room.unsubscribe();
      this.rooms.delete(sessionId);
    }
  }

  private onPresence(sessionId: string, message: RealtimeMessage): void {
    const room = this.rooms.get(sessionId);
    const instance = typeof message.instance === 'string' ? message.instance : null;
    const count = typeof message.count === 'number' ? message.count : null;
    if (!room || instance === null || count === null || instance === this.instanceId) return;
    const before = room.presence.get(instance)?.count;
    room.presence.set(instance, { count, at: Date.now() });
    if (before === undefined)
      this.announce(sessionId); // a newcomer: tell it our count now
    else if (before !== count) this.sendCount(sessionId);
  }

  private sendCount(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    const total = this.viewers(sessionId);
    if (total === room.lastSent) return;
    room.lastSent = total;
    this.broadcast(room, { type: 'viewers', count: total });
    this.onCount(sessionId, total);
  }
}
