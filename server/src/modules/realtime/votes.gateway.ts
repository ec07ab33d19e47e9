import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type Ack, allows, type CommandResult, type ParsedCommand, type Role, VOTE_COMMAND_ACTIONS, type VoteCommand } from '@yishi/shared';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { AccessService } from '../auth/access.service';
import { MeetingAccess } from '../meetings/meeting-access.service';
import { MeetingsService } from '../meetings/meetings.service';
import { BallotsService } from '../votes/ballots.service';
import { RoundQueriesService } from '../votes/round-queries.service';
import { TallyService } from '../votes/tally.service';
import { type RemoteYishiSocket, rooms, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

const roundRoom = rooms.round;
const castRoom = rooms.roundCast;

/**
 * Votes over the same Socket.IO connection: following a round (its live tally) and casting
 * ballots. Every command is authorized against the round's compound; a cast is acknowledged
 * only once committed with its audit entry.
 */
@WebSocketGateway()
export class VotesGateway implements OnGatewayInit, OnGatewayConnection {
  /**
   * Following and unfollowing of one socket run in the order sent: each awaits an authorization
   * first, so an unfollow could otherwise finish after the follow sent behind it and take the
   * socket out of the room it just joined. Casts stay concurrent.
   */
  private readonly roomChanges = new WeakMap<YishiSocket, Promise<unknown>>();

  constructor(
    private readonly access: AccessService,
    private readonly votes: RoundQueriesService,
    private readonly tally: TallyService,
    private readonly ballots: BallotsService,
    private readonly meetings: MeetingsService,
    private readonly meetingAccess: MeetingAccess,
    private readonly events: DomainEvents,
    private readonly commands: SocketCommands,
  ) {}

  afterInit(server: YishiServer): void {
    // A wider meeting's guests hear of their own compound's rounds only.
    this.events.on('vote.round', (r) => {
      if (!r.meetingId) return void server.to(roundRoom(r.id)).emit('vote:round', r);
      server
        .to([roundRoom(r.id), rooms.meeting(r.meetingId)])
        .except(rooms.meetingGuests(r.meetingId))
        .emit('vote:round', r);
      server.to(rooms.meetingGuest(r.meetingId, r.compoundId)).emit('vote:round', r);
    });
    this.events.on('vote.tally', (t) => server.to(roundRoom(t.roundId)).emit('vote:tally', t));
    this.commands.onMembershipChange(server, 'votes', (sockets, c) => this.reauthorize(sockets, c.userId, c.compoundId));
  }

  @SubscribeMessage('vote:follow')
  follow(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.inOrder(s, () =>
      this.command(s, 'vote:follow', body, async (p, compoundId, roles) => {
        await this.roundIn(p.roundId, compoundId);
        await s.join(allows(roles, 'vote.cast') ? [roundRoom(p.roundId), castRoom(p.roundId)] : [roundRoom(p.roundId)]);
        const [round, tally, mine] = await Promise.all([
          this.votes.view(p.roundId),
          this.tally.view(p.roundId),
          this.votes.mine(p.roundId, s.data.userId),
        ]);
        return { round, tally, mine };
      }),
    );
  }

  @SubscribeMessage('vote:unfollow')
  unfollow(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.inOrder(s, () =>
      this.command(s, 'vote:unfollow', body, async (p) => {
        await s.leave(roundRoom(p.roundId));
        await s.leave(castRoom(p.roundId));
        return {};
      }),
    );
  }

  /** Casting is the one command sent thousands of times a second into a round (see SocketCommands.bindDirect). */
  handleConnection(s: YishiSocket): void {
    this.commands.bindDirect(s, 'vote:cast', (body) =>
      this.command(s, 'vote:cast', body, (p, compoundId) => this.ballots.castOnline(s.data.userId, compoundId, p)),
    );
  }

  @SubscribeMessage('vote:rounds')
  rounds(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'vote:rounds', body, async (p, compoundId) => {
      const rounds = await this.votes.listForMeeting(p.meetingId);
      const host = compoundId === (await this.meetings.compoundOf(p.meetingId));
      return { rounds: host ? rounds : rounds.filter((r) => r.compoundId === compoundId) };
    });
  }

  private inOrder<T>(s: YishiSocket, run: () => Promise<T>): Promise<T> {
    const next = (this.roomChanges.get(s) ?? Promise.resolve()).then(run, run);
    this.roomChanges.set(
      s,
      next.catch(() => undefined),
    );
    return next;
  }

  /** After a membership change: the user's sockets, on every node, keep only the rounds they may still follow and cast in. */
  private async reauthorize(sockets: RemoteYishiSocket[], userId: string, compoundId: string): Promise<void> {
    const check = (action: 'vote.view' | 'vote.cast') =>
      this.access.authorize(userId, compoundId, action).then(
        () => true,
        () => false,
      );
    const [view, cast] = await Promise.all([check('vote.view'), check('vote.cast')]);
    for (const s of sockets) {
      for (const r of s.rooms) {
        const [, castSuffix, roundId] = /^round(-cast)?:(.+)$/.exec(r) ?? [];
        if (roundId === undefined || (await this.votes.compoundOf(roundId)) !== compoundId) continue;
        if (castSuffix ? !cast : !view) s.leave(r);
      }
    }
  }

  private async roundIn(roundId: string, compoundId: string): Promise<void> {
    if ((await this.votes.compoundOf(roundId)) !== compoundId) throw new AppError('NOT_FOUND');
  }

  private command<C extends VoteCommand>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    run: (payload: ParsedCommand<C>, compoundId: string, roles: Role[]) => Promise<CommandResult<C>>,
  ): Promise<Ack<CommandResult<C>>> {
    return this.commands.run(socket, name, body, async (parsed) => {
      const payload = parsed as ParsedCommand<C> & { roundId?: string; meetingId?: string };
      if (!payload.roundId) {
        // A meeting's rounds: its guests, too, see those of their own compound.
        const grant = await this.meetingAccess.authorize(socket.data.userId, payload.meetingId!, VOTE_COMMAND_ACTIONS[name], true);
        return run(payload, grant.compoundId, grant.roles);
      }
      const compoundId = await this.votes.compoundOf(payload.roundId);
      if (!compoundId) throw new AppError('NOT_FOUND');
      const granted = name === 'vote:cast' && socket.rooms.has(castRoom(payload.roundId!));
      const roles = granted ? [] : (await this.access.authorize(socket.data.userId, compoundId, VOTE_COMMAND_ACTIONS[name])).roles;
      return run(payload, compoundId, roles);
    });
  }
}
