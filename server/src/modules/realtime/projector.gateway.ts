import { Inject } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { MeetingEvent, ProjectorEvent, ProjectorState, RoundView } from '@yishi/shared';
import type { Logger } from 'pino';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { MeetingsService } from '../meetings/meetings.service';
import { ProjectorLinksService } from '../projector/projector-links.service';
import { RoundQueriesService } from '../votes/round-queries.service';
import { TallyService } from '../votes/tally.service';
import { rooms, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

/** A meeting change as a room's screen may show it: attendance only as the quorum, chat never. */
function publicEvent(e: MeetingEvent): ProjectorEvent | null {
  const base = { meetingId: e.meetingId, seq: e.seq, at: e.at };
  switch (e.kind) {
    case 'meeting':
      return { ...base, kind: 'meeting', meeting: e.meeting };
    case 'attendance':
      return { ...base, kind: 'quorum', quorum: e.quorum };
    case 'speakers':
      return { ...base, kind: 'speakers', speakers: e.speakers };
    default:
      return null;
  }
}

/** The round a screen shows: the open one, else the latest. */
const shownRound = (rounds: RoundView[]): RoundView | null => rounds.find((r) => r.status === 'open') ?? rounds[0] ?? null;

/**
 * The projector's socket (ConnectionGateway admits it by its link; SocketCommands lets it send
 * only its own commands). It never joins the meeting's room: it gets the public slices of the
 * meeting's events in its own room, the meeting's rounds as they open and close, and the tally
 * of each round through the round's room (counts only, never a ballot).
 */
@WebSocketGateway()
export class ProjectorGateway implements OnGatewayInit {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly links: ProjectorLinksService,
    private readonly rounds: RoundQueriesService,
    private readonly tally: TallyService,
    private readonly events: DomainEvents,
    private readonly commands: SocketCommands,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  afterInit(server: YishiServer): void {
    this.events.on('meeting.event', (e) => {
      const shown = publicEvent(e);
      if (shown) server.to(rooms.projector(e.meetingId)).emit('projector:event', shown);
    });
    this.events.on('vote.round', (r) => {
      if (!r.meetingId) return;
      const screens = rooms.projector(r.meetingId);
      // Screens already in the round's room get it from the votes gateway.
      server.to(screens).except(rooms.round(r.id)).emit('vote:round', r);
      if (r.status !== 'open') return;
      server.in(screens).socketsJoin(rooms.round(r.id));
      // A new round's screens start from its count now; later counts come through the round's room.
      this.tally.view(r.id).then(
        (t) => server.to(screens).emit('vote:tally', t),
        (err: unknown) => this.log.warn({ err, roundId: r.id }, 'projector tally failed'),
      );
    });
  }

  @SubscribeMessage('projector:join')
  join(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.commands.run(s, 'projector:join', body, async () => {
      const grant = s.data.projector;
      if (!grant) throw new AppError('FORBIDDEN');
      // Join before reading, so no change falls between the state and the events after it.
      await s.join(rooms.projector(grant.meetingId));
      const rounds = await this.rounds.listForMeeting(grant.meetingId);
      const round = shownRound(rounds);
      if (round) await s.join(rooms.round(round.id));
      const [state, proposals, tally] = await Promise.all([
        this.meetings.state(grant.meetingId, { userId: s.data.userId, roles: [] }),
        this.links.proposals(grant.meetingId),
        round ? this.tally.view(round.id) : null,
      ]);
      const shown: ProjectorState = {
        seq: state.seq,
        serverTime: state.serverTime,
        meeting: state.meeting,
        quorum: state.quorum,
        speakers: state.speakers,
        proposals,
        round,
        tally,
      };
      return { state: shown };
    });
  }
}
