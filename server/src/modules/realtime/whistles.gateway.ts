import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { DomainEvents } from '../../infra/events/domain-events';
import { rooms, type YishiServer } from './realtime-socket';

/**
 * Live whistles: each committed step goes to the user rooms of those who may see the whistle
 * (never a room of the whole compound, whose other departments must not learn of it). Notices
 * (公示) travel the same way, to every member of their compound.
 */
@WebSocketGateway()
export class WhistlesGateway implements OnGatewayInit {
  constructor(private readonly events: DomainEvents) {}

  afterInit(server: YishiServer): void {
    this.events.on('whistle.changed', ({ userIds, ...change }) => {
      if (userIds.length > 0) server.to(userIds.map(rooms.user)).emit('whistle:changed', change);
    });
    this.events.on('notice.changed', ({ userIds, ...change }) => {
      if (userIds.length > 0) server.to(userIds.map(rooms.user)).emit('notice:changed', change);
    });
  }
}
