import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { LocalRooms, type RealtimeHub, type RealtimeMessage, type RoomListener } from './realtime.ts';

/** Subjects of the rooms: `gravity.rt.<room>` (a room's dots and wildcards made plain). */
const SUBJECT_PREFIX = 'gravity.rt.';
export const subjectOf = (room: string) => SUBJECT_PREFIX + room.replace(/[.\s*>]/g, '_');

interface Envelope {
  /** The publishing process: it delivered the message to its own rooms already. */
  o: string;
  r: string;
  m: RealtimeMessage;
}

/**
 * The real-time hub between processes (NATS_URL): a message is delivered to this process's rooms at
 * once and published on the room's NATS subject for the others; each process subscribes to the
 * subjects of the rooms it has listeners for (one NATS subscription per room, not per socket).
 *
 * The connection is made in the background and kept: retried until the server answers, then
 * reconnected forever (the client re-subscribes by itself). While NATS is away, this process's own
 * rooms keep working and other processes miss what is published (delivery is at most once; what must
 * not be lost is in the database). `ready()` waits for the first connection (tests).
 */
export class NatsHub implements RealtimeHub {
  readonly local = new LocalRooms();
  private readonly instance = randomUUID();
  private readonly subscriptions = new Map<string, Subscription>();
  private nc: NatsConnection | null = null;
  private closed = false;
  private readonly connected: Promise<NatsConnection | null>;

  constructor(
    servers: string,
    private readonly log?: Logger,
  ) {
    this.connected = connect({
      servers: servers.split(',').map((s) => s.trim()),
      name: `gravity-${this.instance.slice(0, 8)}`,
      waitOnFirstConnect: true,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    }).then(
      (nc) => {
        if (this.closed) {
          void nc.close();
          return null;
        }
        this.nc = nc;
        this.log?.info({ server: nc.getServer() }, 'realtime: connected to NATS');
        for (const room of this.local.rooms()) this.subscribeNats(room);
        void this.watch(nc);
        return nc;
      },
      (err: unknown) => {
        this.log?.error({ err }, 'realtime: NATS connection failed; rooms are this process only');
        return null;
      },
    );
  }

  /** Resolves once connected to NATS (or when the connection was given up). */
  async ready(): Promise<boolean> {
    return (await this.connected) !== null;
  }

  publish(room: string, message: RealtimeMessage): void {
    this.local.deliver(room, message);
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    const envelope: Envelope = { o: this.instance, r: room, m: message };
    try {
      nc.publish(subjectOf(room), JSON.stringify(envelope));
    } catch (err) {
      this.log?.warn({ err, room }, 'realtime: a message was not sent to NATS');
    }
  }

  subscribe(room: string, listener: RoomListener): () => void {
    const first = !this.local.has(room);
    const unsubscribe = this.local.subscribe(room, listener);
    if (first) this.subscribeNats(room);
    return () => {
      unsubscribe();
      if (!this.local.has(room)) {
        this.subscriptions.get(room)?.unsubscribe();
        this.subscriptions.delete(room);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const nc = this.nc;
    this.nc = null;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  private subscribeNats(room: string): void {
    const nc = this.nc;
    if (!nc || nc.isClosed() || this.subscriptions.has(room)) return;
    const sub = nc.subscribe(subjectOf(room), {
      callback: (err, msg) => {
        if (err) return;
        let envelope: Envelope;
        try {
          envelope = msg.json<Envelope>();
        } catch {
          return;
        }
        if (envelope.o === this.instance || envelope.r !== room) return;
        if (envelope.m && typeof envelope.m.type === 'string') this.local.deliver(room, envelope.m);
      },
    });
    this.subscriptions.set(room, sub);
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') this.log?.warn('realtime: NATS disconnected; reconnecting');
      else if (s.type === 'reconnect') this.log?.info('realtime: NATS reconnected');
    }
  }
}
