import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { type Ack, type CommandResult, LISTS_COMMAND_ACTIONS, type ListsCommand, type ParsedCommand } from '@yishi/shared';
import { DomainEvents } from '../../infra/events/domain-events';
import { AccessService } from '../auth/access.service';
import { type RemoteYishiSocket, rooms, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

/**
 * Live lists: a socket follows a compound's demand and project lists (authorized like reading
 * them) and hears `lists:changed` after each committed change. Whistles go to the user rooms of
 * those who may see each one instead, never to the compound's room: another department of the
 * same compound must not learn of it. Notices (公示) travel the same way, to every member of
 * their compound.
 */
@WebSocketGateway()
export class ListsGateway implements OnGatewayInit {
  constructor(
    private readonly access: AccessService,
    private readonly events: DomainEvents,
    private readonly commands: SocketCommands,
  ) {}

  afterInit(server: YishiServer): void {
    this.events.on('lists.changed', ({ compoundId, demandIds, projectIds }) => {
      const to = server.to(rooms.lists(compoundId));
      for (const id of demandIds) to.emit('lists:changed', { compoundId, kind: 'demand', id });
      for (const id of projectIds) to.emit('lists:changed', { compoundId, kind: 'project', id });
    });
    this.events.on('whistle.changed', ({ userIds, whistleId, compoundId }) => {
      if (userIds.length > 0) server.to(userIds.map(rooms.user)).emit('lists:changed', { compoundId, kind: 'whistle', id: whistleId });
    });
    // Notices (公示) go to every member of their compound, by user room.
    this.events.on('notice.changed', ({ userIds, ...change }) => {
      if (userIds.length > 0) server.to(userIds.map(rooms.user)).emit('notice:changed', change);
    });
    this.commands.onMembershipChange(server, 'lists', (sockets, c) => this.reauthorize(sockets, c.userId, c.compoundId));
  }

  @SubscribeMessage('lists:follow')
  follow(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'lists:follow', body, async (p) => {
      await s.join(rooms.lists(p.compoundId));
      return {};
    });
  }

  @SubscribeMessage('lists:unfollow')
  unfollow(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.command(s, 'lists:unfollow', body, async (p) => {
      await s.leave(rooms.lists(p.compoundId));
      return {};
    });
  }

  /** After a membership change: a user who may no longer read the compound's lists stops hearing of them, on every node. */
  private async reauthorize(sockets: RemoteYishiSocket[], userId: string, compoundId: string): Promise<void> {
    const still = await this.access.authorize(userId, compoundId, 'demand.view').then(
      () => true,
      () => false,
    );
    if (!still) for (const s of sockets) s.leave(rooms.lists(compoundId));
  }

  private command<C extends ListsCommand>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    run: (payload: ParsedCommand<C>) => Promise<CommandResult<C>>,
  ): Promise<Ack<CommandResult<C>>> {
    return this.commands.run(socket, name, body, async (parsed) => {
      const payload = parsed as ParsedCommand<C>;
      // Not a member: NOT_FOUND, so another compound's existence is not revealed.
      await this.access.authorize(socket.data.userId, payload.compoundId, LISTS_COMMAND_ACTIONS[name]);
      return run(payload);
    });
  }
}
