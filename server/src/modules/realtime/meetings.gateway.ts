import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  type Ack,
  type CommandResult,
  MEETING_COMMAND_ACTIONS,
  type MeetingCommand,
  type MeetingEvent,
  type ParsedCommand,
  type PresenceView,
} from '@yishi/shared';
import type { Logger } from 'pino';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import type { CompoundAccess } from '../memberships/compound-access';
import { AccessService } from '../auth/access.service';
import { MeetingAccess } from '../meetings/meeting-access.service';
import { guestEvent } from '../meetings/meeting-views';
import { MembersService } from '../memberships/members.service';
import { AttendanceService } from '../meetings/attendance.service';
import { FloorService } from '../meetings/floor.service';
import type { Actor } from '../meetings/meeting-changes.service';
import { MeetingChatService } from '../meetings/meeting-chat.service';
import { MeetingsService } from '../meetings/meetings.service';
import { rooms, type RemoteYishiSocket, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

const room = rooms.meeting;
/** What a guest of a wider meeting may do: follow it and take part, never run it. */
const GUEST_COMMANDS: ReadonlySet<MeetingCommand> = new Set<MeetingCommand>([
  'meeting:join',
  'meeting:sync',
  'meeting:leave',
  'attendance:check-in',
  'hand:raise',
  'hand:lower',
  'chat:send',
]);
/** How long presence changes are gathered before one presence message goes out. */
const PRESENCE_DELAY_MS = 150;

/**
 * Live meetings: joining one (its state, then its numbered events), running it, and who is
 * present. Every command is authorized against the meeting's compound, and again on the next.
 */
@WebSocketGateway()
export class MeetingsGateway implements OnGatewayInit, OnGatewayDisconnect {
  @WebSocketServer() private server!: YishiServer;
  private readonly presenceTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly access: AccessService,
    private readonly meetings: MeetingsService,
    private readonly meetingAccess: MeetingAccess,
    private readonly attendance: AttendanceService,
    private readonly floor: FloorService,
    private readonly meetingChat: MeetingChatService,
    private readonly members: MembersService,
    private readonly events: DomainEvents,
    private readonly commands: SocketCommands,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  afterInit(server: YishiServer): void {
    this.events.on('meeting.event', (e) => this.deliver(server, e));
    this.commands.onMembershipChange(server, 'meetings', (sockets, c) => this.reauthorize(sockets, c.userId, c.compoundId));
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
      const guest = access.compoundId !== (await this.meetings.compoundOf(p.meetingId));
      await s.join(
        guest
          ? [room(p.meetingId), rooms.meetingGuests(p.meetingId), rooms.meetingGuest(p.meetingId, access.compoundId)]
          : room(p.meetingId),
      );
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
    return this.command(s, 'meeting:leave', body, async (actor, p) => {
      await this.leaveRooms(s, p.meetingId, actor.compoundId!);
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
    return this.command(s, 'attendance:check-in', body, (a, p) => this.attendance.checkIn(a, p.meetingId, p.onSite));
  }

  @SubscribeMessage('attendance:register')
  register(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'attendance:register', body, (a, p) => this.attendance.registerAttendance(a, p.meetingId, p.householdId));
  }

  @SubscribeMessage('hand:raise')
  raise(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'hand:raise', body, (a, p) => this.floor.raiseHand(a, p.meetingId));
  }

  @SubscribeMessage('hand:lower')
  lower(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'hand:lower', body, (a, p) => this.floor.lowerHand(a, p.meetingId));
  }

  @SubscribeMessage('floor:give')
  giveFloor(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'floor:give', body, (a, p) => this.floor.giveFloor(a, p.meetingId, p.speakerId, p.timeLimitS));
  }

  @SubscribeMessage('floor:end')
  endFloor(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'floor:end', body, (a, p) => this.floor.endFloor(a, p.meetingId));
  }

  @SubscribeMessage('speakers:reorder')
  reorder(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'speakers:reorder', body, (a, p) => this.floor.reorder(a, p.meetingId, p.order));
  }

  @SubscribeMessage('chat:send')
  chat(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'chat:send', body, (a, p) => this.meetingChat.sendChat(a, p.meetingId, p.clientMessageId, p.body));
  }

  @SubscribeMessage('chat:hide')
  hide(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'chat:hide', body, (a, p) => this.meetingChat.hideChat(a, p.meetingId, p.messageId));
  }

  // ----- the one pipeline every command goes through -----

  private command<C extends MeetingCommand>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    run: (actor: Actor, payload: ParsedCommand<C>, access: CompoundAccess) => Promise<CommandResult<C>>,
  ): Promise<Ack<CommandResult<C>>> {
    return this.commands.run(socket, name, body, async (payload) => {
      const { userId } = socket.data;
      const access = await this.meetingAccess.authorize(userId, payload.meetingId, MEETING_COMMAND_ACTIONS[name], GUEST_COMMANDS.has(name));
      const partyMember = access.memberships.some((m) => m.partyMember);
      return run({ userId, roles: access.roles, compoundId: access.compoundId, partyMember }, payload, access);
    });
  }

  /** Everyone in the room gets each event; guests get the agenda of their own compound only. */
  private deliver(server: YishiServer, e: MeetingEvent): void {
    if (e.kind !== 'meeting') {
      server.to(room(e.meetingId)).emit('meeting:event', e);
      return;
    }
    server.to(room(e.meetingId)).except(rooms.meetingGuests(e.meetingId)).emit('meeting:event', e);
    const guests = new Set(e.meeting.agenda.map((a) => a.compoundId).filter((c): c is string => !!c && c !== e.meeting.compoundId));
    for (const c of guests) server.to(rooms.meetingGuest(e.meetingId, c)).emit('meeting:event', guestEvent(e, c));
  }

  private async leaveRooms(s: YishiSocket | RemoteYishiSocket, meetingId: string, compoundId: string): Promise<void> {
    await s.leave(room(meetingId));
    await s.leave(rooms.meetingGuests(meetingId));
    await s.leave(rooms.meetingGuest(meetingId, compoundId));
  }

  private async catchUp(s: YishiSocket, actor: Actor, meetingId: string, sinceSeq: number | undefined) {
    const presence = await this.presence(meetingId);
    if (sinceSeq !== undefined) {
      const events = await this.meetings.eventsSince(meetingId, sinceSeq);
      if (events) return { events: events.map((e) => guestEvent(e, actor.compoundId)), presence };
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
  private async reauthorize(sockets: RemoteYishiSocket[], userId: string, compoundId: string): Promise<void> {
    for (const s of sockets) {
      for (const [meetingId, joined] of Object.entries(s.data.meetings ?? {})) {
        if (joined.compoundId !== compoundId) continue;
        const still = await this.access.authorize(userId, compoundId, 'meeting.view').then(
          () => true,
          () => false,
        );
        if (still) continue;
        await this.leaveRooms(s, meetingId, compoundId);
        s.emit('meeting:removed', { meetingId, code: 'NOT_FOUND' });
        this.schedulePresence(meetingId);
      }
    }
  }
}
