import { applyMeetingEvent, type MeetingEvent, type MeetingState } from './meeting.protocol';
import { type CommandResult, type CommandSocket, sendCommand, type ServerEventMap } from './socket-contract';

/** The socket a MeetingSession uses (so shared does not import the client). */
export type MeetingSocket = CommandSocket;

type JoinResult = CommandResult<'meeting:join'>;

/**
 * Keeps one meeting's state up to date on a client, in the browser or in Node: joins, applies
 * numbered events in order, asks for what it missed when it sees a gap, and after a reconnect
 * joins again asking only for the changes since the last one it has.
 */
export class MeetingSession {
  state: MeetingState | null = null;
  private ahead = new Map<number, MeetingEvent>();
  private syncing = false;
  private closed = false;

  constructor(
    private readonly socket: MeetingSocket,
    readonly meetingId: string,
    private readonly onChange: (state: MeetingState) => void = () => undefined,
  ) {
    socket.on('meeting:event', this.onEvent);
    socket.on('meeting:presence', this.onPresence);
    socket.on('connect', this.onReconnect);
  }

  /** Joins (or, with a state already held, catches up); resolves with the current state. */
  async join(): Promise<MeetingState> {
    const result = await sendCommand(this.socket, 'meeting:join', { meetingId: this.meetingId, sinceSeq: this.state?.seq });
    this.absorb(result);
    return this.state!;
  }

  close(): void {
    this.closed = true;
    this.socket.off('meeting:event', this.onEvent);
    this.socket.off('meeting:presence', this.onPresence);
    this.socket.off('connect', this.onReconnect);
    this.socket.emit('meeting:leave', { meetingId: this.meetingId }, () => undefined);
  }

  private readonly onEvent = (e: ServerEventMap['meeting:event']) => {
    if (e.meetingId !== this.meetingId || !this.state || e.seq <= this.state.seq) return;
    this.ahead.set(e.seq, e);
    this.drain();
    if (this.ahead.size > 0) void this.sync();
  };

  private readonly onPresence = (p: ServerEventMap['meeting:presence']) => {
    if (p.meetingId !== this.meetingId || !this.state) return;
    this.state = { ...this.state, presence: p.presence };
    this.onChange(this.state);
  };

  private readonly onReconnect = () => {
    if (this.state && !this.closed) void this.join().catch(() => undefined);
  };

  private drain(): void {
    let changed = false;
    for (let next = this.ahead.get(this.state!.seq + 1); next; next = this.ahead.get(this.state!.seq + 1)) {
      this.ahead.delete(next.seq);
      this.state = applyMeetingEvent(this.state!, next);
      changed = true;
    }
    for (const seq of this.ahead.keys()) if (seq <= this.state!.seq) this.ahead.delete(seq);
    if (changed) this.onChange(this.state!);
  }

  /** A gap: an event arrived before one it follows. Ask for what is missing. */
  private async sync(): Promise<void> {
    if (this.syncing || !this.state) return;
    this.syncing = true;
    try {
      this.absorb(await sendCommand(this.socket, 'meeting:sync', { meetingId: this.meetingId, sinceSeq: this.state.seq }));
    } finally {
      this.syncing = false;
    }
  }

  private absorb(result: JoinResult): void {
    if ('state' in result) {
      this.state = result.state;
      this.ahead = new Map([...this.ahead].filter(([seq]) => seq > result.state.seq));
    } else if (this.state) {
      for (const e of result.events) if (e.seq > this.state.seq) this.ahead.set(e.seq, e);
      this.state = { ...this.state, presence: result.presence };
    }
    this.drain();
    this.onChange(this.state!);
  }
}
