import { describe, expect, it } from 'vitest';
import { InProcessHub } from '../../platform/realtime.ts';
import { LiveRooms, MAX_BUFFERED_BYTES, type RoomSocket } from './room.ts';

class FakeSocket implements RoomSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  terminated = 0;
  send(data: string): void {
    this.sent.push(data);
  }
  terminate(): void {
    this.terminated += 1;
    this.readyState = 3;
  }
}

describe('live rooms', () => {
  it('drops a client that stopped reading instead of queueing every message for it', () => {
    const hub = new InProcessHub();
    const rooms = new LiveRooms(hub, 'instance-a');
    const reader = new FakeSocket();
    const stalled = new FakeSocket();
    rooms.join('s1', reader);
    rooms.join('s1', stalled);
    hub.publish('live:s1', { type: 'comment', text: 'one' });
    expect(stalled.sent).toHaveLength(1);
    stalled.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    for (let i = 0; i < 3; i++) hub.publish('live:s1', { type: 'comment', text: `more ${i}` });
    expect(reader.sent).toHaveLength(4);
    expect(stalled.sent).toHaveLength(1);
    expect(stalled.terminated).toBe(1);
    rooms.close();
  });

  it('stops listening to the hub once its last socket left', () => {
    const hub = new InProcessHub();
    const rooms = new LiveRooms(hub, 'instance-a');
    const leave = rooms.join('s2', new FakeSocket());
    expect(hub.local.has('live:s2')).toBe(true);
    leave();
    leave();
    rooms.close();
    expect(hub.local.has('live:s2')).toBe(false);
    expect(hub.local.rooms()).toEqual([]);
  });
});
