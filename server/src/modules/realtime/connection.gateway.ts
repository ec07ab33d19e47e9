import { Inject } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { toApiError } from '../../infra/errors/all-exceptions.filter';
import { DomainEvents } from '../../infra/events/domain-events';
import { NodeLifecycle } from '../../infra/health/node-lifecycle';
import { AccessService } from '../auth/access.service';
import { MembersService } from '../memberships/members.service';
import { ProjectorLinksService } from '../projector/projector-links.service';
import { ConnectionLimits } from './connection-limits';
import { rooms, type SocketData, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

/** How long clients told to go elsewhere may still be answered before their transports close. */
const DRAIN_GRACE_MS = 300;

/**
 * The connection itself, before any feature: authenticates every handshake with the same
 * AccessService as HTTP, counts it against the connection limits, puts the socket in its user's
 * and session's rooms, takes each message's rate allowance as it arrives (SocketCommands.admit),
 * and ends the sockets of a session that was signed out. Authorization is
 * each feature gateway's job, at join and again on every command.
 */
@WebSocketGateway()
export class ConnectionGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly access: AccessService,
    private readonly members: MembersService,
    private readonly projectorLinks: ProjectorLinksService,
    private readonly events: DomainEvents,
    private readonly lifecycle: NodeLifecycle,
    private readonly commands: SocketCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: YishiServer): void {
    const limits = new ConnectionLimits(this.config.MAX_SOCKETS_PER_USER, this.config.MAX_SOCKETS_PER_ADDRESS, (id) =>
      server.sockets.sockets.has(id),
    );
    // Every connection, including one that reconnects, proves who it is again.
    server.use((socket, next) => {
      if (this.lifecycle.draining) return next(Object.assign(new Error('this server is stopping'), { data: { code: 'UNAVAILABLE' } }));
      const given = (socket.handshake.auth ?? {}) as { token?: unknown; projectorToken?: unknown; meetingId?: unknown };
      const language = /^en\b/i.test(socket.handshake.headers['accept-language'] ?? '') ? 'en' : 'zh';
      const identify = async (): Promise<SocketData> => {
        if (given.projectorToken === undefined) {
          const auth = await this.access.authenticate(typeof given.token === 'string' ? given.token : undefined);
          return { ...auth, displayName: await this.members.displayName(auth.userId), language, meetings: {} };
        }
        // A projector's link: a wrong, revoked or other meeting's token is refused alike.
        const grant = await this.projectorLinks.verify(given.projectorToken, given.meetingId);
        if (!grant) throw new AppError('UNAUTHENTICATED', { message: 'this projector link is not valid' });
        return { userId: `projector:${grant.linkId}`, sessionId: '', displayName: '', language, meetings: {}, projector: grant };
      };
      identify()
        .then((auth) => {
          socket.data = auth;
          const over = limits.admit(socket.id, auth.userId, socket.handshake.address);
          if (over)
            throw new AppError('TOO_MANY_CONNECTIONS', {
              message: over === 'user' ? 'this account has too many open connections' : 'this address has too many open connections',
            });
          socket.once('disconnect', () => limits.release(socket.id, auth.userId, socket.handshake.address));
          next();
        })
        .catch((err: unknown) => {
          const { error } = toApiError(err);
          next(Object.assign(new Error(error.message), { data: { code: error.code } }));
        });
    });
    this.lifecycle.onDrain(() => this.sendElsewhere(server));
    this.events.on('projector.revoked', ({ linkId }) => {
      server.in(rooms.projectorLink(linkId)).emit('projector:ended', { code: 'UNAUTHENTICATED' });
      server.in(rooms.projectorLink(linkId)).disconnectSockets(true);
    });
    this.events.on('session.revoked', ({ sessionId }) => {
      server.in(rooms.session(sessionId)).emit('session:ended', { code: 'UNAUTHENTICATED' });
      server.in(rooms.session(sessionId)).disconnectSockets(true);
    });
  }

  /**
   * The node is stopping and has answered every command it accepted: its clients are told, then
   * their transport is closed (not the socket: a socket the server disconnects is not retried by
   * Socket.IO), so each reconnects, through the proxy, to another node.
   */
  private async sendElsewhere(server: YishiServer): Promise<void> {
    server.local.emit('server:draining', { code: 'UNAVAILABLE' });
    // A command a client sent before the event reached it is still on its way: answering it
    // (UNAVAILABLE, so it is retried elsewhere) beats losing it with the transport.
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS));
    await this.lifecycle.idle();
    for (const socket of server.sockets.sockets.values()) socket.conn.close();
  }

  handleConnection(socket: YishiSocket): void {
    const { projector } = socket.data;
    void socket.join(
      projector ? [rooms.projectorLink(projector.linkId)] : [rooms.user(socket.data.userId), rooms.session(socket.data.sessionId)],
    );
    // A command sent without a payload gets an empty one, so it is refused by its schema with
    // the missing fields named (Nest would otherwise drop it and the client would wait in vain).
    socket.use((packet, next) => {
      if (!this.commands.admit(socket, packet)) return;
      if (typeof packet[1] === 'function') packet.splice(1, 0, {});
      else if (packet.length > 1 && packet[1] == null) packet[1] = {};
      next();
    });
  }
}
