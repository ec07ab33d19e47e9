import { Inject } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type Ack, allows, VOTE_COMMAND_ACTIONS, type VoteCommand, voteCommandSchemas, type VoteCommandResults, type VoteServerToClientEvents } from '@yishi/shared';
import type { Role } from '@yishi/shared';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { AccessService } from '../auth/access.service';
import { MeetingsService } from '../meetings/meetings.service';
import { BallotsService } from '../votes/ballots.service';
import { RoundQueriesService } from '../votes/round-queries.service';
import { TallyService } from '../votes/tally.service';
import { TokenBucket } from './rate-limiter';
import type { SocketData } from './realtime.gateway';
import { socketCommand } from './socket-command';

type VoteSocket = Socket<any, VoteServerToClientEvents, any, SocketData>;
const roundRoom = (roundId: string) => `round:${roundId}`;
/**
 * A socket in this room has been authorized to cast in the round (at `vote:follow`). Casting is
 * the hot path, so it skips the membership query; a membership change takes sockets out of the
 * room on every node (rooms, unlike socket data, can be changed from any node).
 */
const castRoom = (roundId: string) => `round-cast:${roundId}`;

/**
 * Votes over the same Socket.IO connection: following a round (its live tally) and casting
 * ballots. Every command is authorized against the round's compound; a cast is acknowledged
 * only once committed with its audit entry.
 */
@WebSocketGateway()
export class VotesGateway implements OnGatewayInit, OnGatewayConnection {
  @WebSocketServer() private server!: Server<any, VoteServerToClientEvents>;
  private readonly buckets = new WeakMap<VoteSocket, TokenBucket>();
  /**
   * Following and unfollowing of one socket run in the order sent: each awaits an authorization
   * first, so an unfollow could otherwise finish after the follow sent behind it and take the
   * socket out of the room it just joined. Casts stay concurrent.
   */
  private readonly roomChanges = new WeakMap<VoteSocket, Promise<unknown>>();

  constructor(
    private readonly access: AccessService,
    private readonly votes: RoundQueriesService,
    private readonly tally: TallyService,
    private readonly ballots: BallotsService,
    private readonly meetings: MeetingsService,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  afterInit(server: Server<any, VoteServerToClientEvents>): void {
    this.events.on('vote.round', (r) => {
      const rooms = [roundRoom(r.id), ...(r.meetingId ? [`meeting:${r.meetingId}`] : [])];
      server.to(rooms).emit('vote:round', r);
    });
    this.events.on('vote.tally', (t) => server.to(roundRoom(t.roundId)).emit('vote:tally', t));
    this.events.on('membership.changed', (c) => void this.reauthorize(c.userId, c.compoundId));
  }

  @SubscribeMessage('vote:follow')
  follow(@ConnectedSocket() s: VoteSocket, @MessageBody() body: unknown) {
    return this.inOrder(s, () => this.command(s, 'vote:follow', body, async (p, compoundId, roles) => {
      await this.roundIn(p.roundId, compoundId);
      await s.join(allows(roles, 'vote.cast') ? [roundRoom(p.roundId), castRoom(p.roundId)] : [roundRoom(p.roundId)]);
      const [round, tally, mine] = await Promise.all([this.votes.view(p.roundId), this.tally.view(p.roundId), this.votes.mine(p.roundId, s.data.userId)]);
      return { round, tally, mine };
    }));
  }

  @SubscribeMessage('vote:unfollow')
  unfollow(@ConnectedSocket() s: VoteSocket, @MessageBody() body: unknown) {
    return this.inOrder(s, () => this.command(s, 'vote:unfollow', body, async (p) => {
      await s.leave(roundRoom(p.roundId));
      await s.leave(castRoom(p.roundId));
      return {};
    }));
  }

  /**
   * Casting is the one command sent thousands of times a second into a round, so it is bound on
   * the socket directly rather than through Nest's per-message pipeline (rxjs observables for
   * every message were a quarter of the server's time under load); it goes through the same
   * `command` pipeline and ack envelope as every other command.
   */
  handleConnection(s: VoteSocket): void {
    s.on('vote:cast', (body: unknown, ack?: unknown) => {
      void this.command(s, 'vote:cast', body, (p, compoundId) => this.ballots.castOnline(s.data.userId, compoundId, p)).then((r) => {
        if (typeof ack === 'function') ack(r);
      });
    });
  }

  @SubscribeMessage('vote:rounds')
  rounds(@ConnectedSocket() s: VoteSocket, @MessageBody() body: unknown) {
    return this.command(s, 'vote:rounds', body, async (p) => ({ rounds: await this.votes.listForMeeting(p.meetingId) }));
  }

  private inOrder<T>(s: VoteSocket, run: () => Promise<T>): Promise<T> {
    const next = (this.roomChanges.get(s) ?? Promise.resolve()).then(run, run);
    this.roomChanges.set(s, next.catch(() => undefined));
    return next;
  }

  /** After a membership change: the user's sockets, on every node, keep only the rounds they may still follow and cast in. */
  private async reauthorize(userId: string, compoundId: string): Promise<void> {
    try {
      const check = (action: 'vote.view' | 'vote.cast') => this.access.authorize(userId, compoundId, action).then(() => true, () => false);
      const [view, cast] = await Promise.all([check('vote.view'), check('vote.cast')]);
      for (const s of await this.server.in(`user:${userId}`).fetchSockets()) {
        for (const r of s.rooms) {
          const m = /^round(-cast)?:(.+)$/.exec(r);
          if (!m || (await this.votes.compoundOf(m[2])) !== compoundId) continue;
          if (m[1] ? !cast : !view) s.leave(r);
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'reauthorizing vote sockets failed');
    }
  }

  private async roundIn(roundId: string, compoundId: string): Promise<void> {
    if ((await this.votes.compoundOf(roundId)) !== compoundId) throw new AppError('NOT_FOUND');
  }

  private command<C extends VoteCommand, R extends object>(
    socket: VoteSocket,
    name: C,
    body: unknown,
    run: (payload: z.output<(typeof voteCommandSchemas)[C]>, compoundId: string, roles: Role[]) => Promise<R>,
  ): Promise<Ack<VoteCommandResults[C]>> {
    let bucket = this.buckets.get(socket);
    if (!bucket) {
      bucket = new TokenBucket(40, 20);
      this.buckets.set(socket, bucket);
    }
    return socketCommand({ name, schema: voteCommandSchemas[name], body, limits: [bucket], socket, log: this.log }, async (parsed) => {
      const payload = parsed as z.output<(typeof voteCommandSchemas)[C]> & { roundId?: string; meetingId?: string };
      const compoundId = payload.roundId ? await this.votes.compoundOf(payload.roundId) : await this.meetings.compoundOf(payload.meetingId!);
      if (!compoundId) throw new AppError('NOT_FOUND');
      const granted = name === 'vote:cast' && socket.rooms.has(castRoom(payload.roundId!));
      const roles = granted ? [] : (await this.access.authorize(socket.data.userId, compoundId, VOTE_COMMAND_ACTIONS[name])).roles;
      return (await run(payload, compoundId, roles)) as unknown as VoteCommandResults[C];
    });
  }
}
