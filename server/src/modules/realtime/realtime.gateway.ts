import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  type Ack,
  type ClientToServerEvents,
  MEETING_COMMAND_ACTIONS,
  type MeetingCommand,
  meetingCommandSchemas,
  type MeetingCommandResults,
  type PresenceView,
  type ServerToClientEvents,
} from '@yishi/shared';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { toApiError } from '../../infra/errors/all-exceptions.filter';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import type { CompoundAccess } from '../auth/access.decorators';
import { AccessService } from '../auth/access.service';
import { MembersService } from '../memberships/members.service';
import { type Actor, MeetingsService } from '../meetings/meetings.service';
import { ConnectionLimits } from './connection-limits';
import { TokenBucket } from './rate-limiter';
import { socketCommand } from './socket-command';

/** What the server remembers about a socket; read across nodes by fetchSockets, so plain data. */
export interface SocketData {
  userId: string;
  sessionId: string;
  displayName: string;
  language: 'zh' | 'en';
  /** The meetings this socket has joined, with how it appears in each one's presence list. */
  meetings: Record<string, { compoundId: string; presence: PresenceView }>;
}

type YishiServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type YishiSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const room = (meetingId: string) => `meeting:${meetingId}`;
/** How long presence changes are gathered before one presence message goes out. */
const PRESENCE_DELAY_MS = 150;

/**
 * The Socket.IO gateway. Authenticates at the handshake with the same AccessService as HTTP,
 * authorizes at join and again on every command, parses every payload with its zod schema, and
 * answers every command with an ack envelope; a handler never throws at the socket.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() private server!: YishiServer;
  private readonly buckets = new WeakMap<YishiSocket, { any: TokenBucket; chat: TokenBucket }>();
  private readonly presenceTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly access: AccessService,
    private readonly meetings: MeetingsService,
    private readonly members: MembersService,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: YishiServer): void {
    const limits = new ConnectionLimits(this.config.MAX_SOCKETS_PER_USER, this.config.MAX_SOCKETS_PER_ADDRESS, (id) => server.sockets.sockets.has(id));
    // Every connection, including one that reconnects, proves who it is again.
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      this.access
        .authenticate(typeof token === 'string' ? token : undefined)
        .then(async (auth) => {
          socket.data = {
            ...auth,
            displayName: await this.members.displayName(auth.userId),
            language: /^en\b/i.test(socket.handshake.headers['accept-language'] ?? '') ? 'en' : 'zh',
            meetings: {},
          };
          const over = limits.admit(socket.id, auth.userId, socket.handshake.address);
          if (over) throw new AppError('TOO_MANY_CONNECTIONS', { message: over === 'user' ? 'this account has too many open connections' : 'this address has too many open connections' });
          socket.once('disconnect', () => limits.release(socket.id, auth.userId, socket.handshake.address));
          next();
        })
        .catch((err: unknown) => {
          const { error } = toApiError(err);
          next(Object.assign(new Error(error.message), { data: { code: error.code } }));
        });
    });
    this.events.on('meeting.event', (e) => server.to(room(e.meetingId)).emit('meeting:event', e));
    this.events.on('session.revoked', ({ sessionId }) => {
      server.in(`session:${sessionId}`).emit('session:ended', { code: 'UNAUTHENTICATED' });
      server.in(`session:${sessionId}`).disconnectSockets(true);
    });
    this.events.on('membership.changed', (c) => void this.reauthorize(c.userId, c.compoundId));
  }

  handleConnection(socket: YishiSocket): void {
    void socket.join([`user:${socket.data.userId}`, `session:${socket.data.sessionId}`]);
    this.buckets.set(socket, { any: new TokenBucket(40, 20), chat: new TokenBucket(5, 1) });
    // A command sent without a payload gets an empty one, so it is refused by its schema with
    // the missing fields named (Nest would otherwise drop it and the client would wait in vain).
    socket.use((packet, next) => {
      if (typeof packet[1] === 'function') packet.splice(1, 0, {});
      else if (packet.length > 1 && packet[1] == null) packet[1] = {};
      next();
    });
  }

  handleDisconnect(socket: YishiSocket): void {
    for (const meetingId of Object.keys(socket.data.meetings ?? {})) this.schedulePresence(meetingId);
  }

  // ----- joining -----

  @SubscribeMessage('meeting:join')
  join(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'meeting:join', body, async (actor, p, access) => {
      // Join the room before reading the state, so no event falls between the two; the client
      // drops events it already has by their seq.
      await s.join(room(p.meetingId));
      s.data.meetings[p.meetingId] = { compoundId: access.compoundId, presence: await this.presenceOf(s, access) };
      this.schedulePresence(p.meetingId);
      return this.catchUp(s, actor, p.meetingId, p.sinceSeq);
    });
  }

  @SubscribeMessage('meeting:sync')
  sync(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'meeting:sync', body, (actor, p) => this.catchUp(s, actor, p.meetingId, p.sinceSeq));
  }

  @SubscribeMessage('meeting:leave')
  leave(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'meeting:leave', body, async (_actor, p) => {
      await s.leave(room(p.meetingId));
      delete s.data.meetings[p.meetingId];
      this.schedulePresence(p.meetingId);
      return {};
    });
  }

  // ----- running the meeting -----

  @SubscribeMessage('meeting:open')
  open(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'meeting:open', body, (a, p) => this.meetings.open(a, p.meetingId));
  }

  @SubscribeMessage('meeting:adjourn')
  adjourn(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'meeting:adjourn', body, (a, p) => this.meetings.adjourn(a, p.meetingId));
  }

  @SubscribeMessage('agenda:set-current')
  setAgenda(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'agenda:set-current', body, (a, p) => this.meetings.setCurrentAgendaItem(a, p.meetingId, p.agendaItemId));
  }

  @SubscribeMessage('attendance:check-in')
  checkIn(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'attendance:check-in', body, (a, p) => this.meetings.checkIn(a, p.meetingId, p.onSite));
  }

  @SubscribeMessage('attendance:register')
  register(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'attendance:register', body, (a, p) => this.meetings.registerAttendance(a, p.meetingId, p.householdId));
  }

  @SubscribeMessage('hand:raise')
  raise(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'hand:raise', body, (a, p) => this.meetings.raiseHand(a, p.meetingId));
  }

  @SubscribeMessage('hand:lower')
  lower(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'hand:lower', body, (a, p) => this.meetings.lowerHand(a, p.meetingId));
  }

  @SubscribeMessage('floor:give')
  giveFloor(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'floor:give', body, (a, p) => this.meetings.giveFloor(a, p.meetingId, p.speakerId, p.timeLimitS));
  }

  @SubscribeMessage('floor:end')
  endFloor(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'floor:end', body, (a, p) => this.meetings.endFloor(a, p.meetingId));
  }

  @SubscribeMessage('speakers:reorder')
  reorder(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'speakers:reorder', body, (a, p) => this.meetings.reorder(a, p.meetingId, p.order));
  }

  @SubscribeMessage('chat:send')
  chat(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'chat:send', body, (a, p) => this.meetings.sendChat(a, p.meetingId, p.clientMessageId, p.body));
  }

  @SubscribeMessage('chat:hide')
  hide(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'chat:hide', body, (a, p) => this.meetings.hideChat(a, p.meetingId, p.messageId));
  }

  // ----- the one pipeline every command goes through -----

  private command<C extends MeetingCommand, R extends object>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    run: (actor: Actor, payload: z.output<(typeof meetingCommandSchemas)[C]>, access: CompoundAccess) => Promise<R>,
  ): Promise<Ack<MeetingCommandResults[C]>> {
    const buckets = this.buckets.get(socket)!;
    const limits = name === 'chat:send' ? [buckets.any, buckets.chat] : [buckets.any];
    return socketCommand({ name, schema: meetingCommandSchemas[name], body, limits, socket, log: this.log }, async (parsed) => {
      const payload = parsed as z.output<(typeof meetingCommandSchemas)[C]>;
      const compoundId = await this.meetings.compoundOf(payload.meetingId);
      if (!compoundId) throw new AppError('NOT_FOUND');
      const access = await this.access.authorize(socket.data.userId, compoundId, MEETING_COMMAND_ACTIONS[name]);
      return (await run({ userId: socket.data.userId, roles: access.roles }, payload, access)) as unknown as MeetingCommandResults[C];
    });
  }

  private async catchUp(s: YishiSocket, actor: Actor, meetingId: string, sinceSeq: number | undefined) {
    const presence = await this.presence(meetingId);
    if (sinceSeq !== undefined) {
      const events = await this.meetings.eventsSince(meetingId, sinceSeq);
      if (events) return { events, presence };
    }
    return { state: { ...(await this.meetings.state(meetingId, actor)), presence } };
  }

  // ----- presence -----

  private async presenceOf(s: YishiSocket, access: CompoundAccess): Promise<PresenceView> {
    const m = await this.members.membershipViews(undefined, access.memberships);
    return {
      userId: s.data.userId,
      displayName: s.data.displayName,
      roles: access.roles,
      householdLabels: m.map((x) => x.householdLabel).filter((x): x is string => !!x),
      organisationName: m.find((x) => x.organisationName)?.organisationName ?? null,
    };
  }

  /** Who is connected to the meeting, on every node: one entry per person, however many devices. */
  private async presence(meetingId: string): Promise<PresenceView[]> {
    const sockets = await this.server.in(room(meetingId)).fetchSockets();
    const byUser = new Map<string, PresenceView>();
    for (const s of sockets) {
      const entry = s.data.meetings?.[meetingId]?.presence;
      if (entry) byUser.set(entry.userId, entry);
    }
    return [...byUser.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh'));
  }

  /** Gathers a burst of joins and leaves (a whole meeting arriving) into one presence message. */
  private schedulePresence(meetingId: string): void {
    if (this.presenceTimers.has(meetingId)) return;
    const timer = setTimeout(() => {
      this.presenceTimers.delete(meetingId);
      this.presence(meetingId)
        .then((presence) => this.server.to(room(meetingId)).emit('meeting:presence', { meetingId, presence }))
        .catch((err: unknown) => this.log.warn({ err }, 'presence broadcast failed'));
    }, PRESENCE_DELAY_MS);
    timer.unref();
    this.presenceTimers.set(meetingId, timer);
  }

  /** After a membership change: sockets leave the meetings their roles no longer let them see. */
  private async reauthorize(userId: string, compoundId: string): Promise<void> {
    try {
      for (const s of await this.server.in(`user:${userId}`).fetchSockets()) {
        for (const [meetingId, joined] of Object.entries(s.data.meetings ?? {})) {
          if (joined.compoundId !== compoundId) continue;
          const still = await this.access.authorize(userId, compoundId, 'meeting.view').then(() => true, () => false);
          if (still) continue;
          s.leave(room(meetingId));
          s.emit('meeting:removed', { meetingId, code: 'NOT_FOUND' });
          this.schedulePresence(meetingId);
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'reauthorizing sockets failed');
    }
  }
}
