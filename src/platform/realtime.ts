/**
 * Real-time fan-out to WebSocket clients (live rooms, a buyer's own notices). A message published
 * to a room reaches every subscriber of that room in every server process: in this process
 * directly, and in the others through NATS when NATS_URL is set (the live module's NATS hub).
 * One process without NATS is a complete platform; several need NATS for their rooms to agree.
 *
 * Rooms are plain names (`live:<sessionId>`, `buyer:<buyerId>`); messages are JSON objects with a
 * `type`. Delivery is at most once and in order per publisher: what must not be lost (orders,
 * reservations, notices) lives in the database, and a client that reconnects reads it back.
 */
export interface RealtimeMessage {
  type: string;
  [key: string]: unknown;
}

export type RoomListener = (message: RealtimeMessage) => void;

export interface RealtimeHub {
  /** Sends to every subscriber of `room`, in every process. */
  publish(room: string, message: RealtimeMessage): void;
  /** Listens to `room`; returns the unsubscribe. */
  subscribe(room: string, listener: RoomListener): () => void;
  /** Closes the connection to other processes, if any. */
  close(): Promise<void>;
}

/** One process's rooms: what a hub delivers here, whether the message came from here or from NATS. */
export class LocalRooms {
  private readonly listeners = new Map<string, Set<RoomListener>>();

  deliver(room: string, message: RealtimeMessage): void {
    const listeners = this.listeners.get(room);
    if (!listeners) return;
    for (const listener of listeners) listener(message);
  }

  subscribe(room: string, listener: RoomListener): () => void {
    let listeners = this.listeners.get(room);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(room, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(room) === listeners) this.listeners.delete(room);
    };
  }

  /** The rooms someone in this process listens to. */
  rooms(): string[] {
    return [...this.listeners.keys()];
  }

  /** Whether anyone in this process listens to `room`. */
  has(room: string): boolean {
    return this.listeners.has(room);
  }
}

/** The hub of a single process (no NATS_URL, and tests): publish delivers here only. */
export class InProcessHub implements RealtimeHub {
  readonly local = new LocalRooms();

  publish(room: string, message: RealtimeMessage): void {
    this.local.deliver(room, message);
  }

  subscribe(room: string, listener: RoomListener): () => void {
    return this.local.subscribe(room, listener);
  }

  async close(): Promise<void> {}
}
