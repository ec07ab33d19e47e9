import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { IncomingMessage } from 'node:http';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { SOCKET_PARSER } from '@yishi/shared';
import type { AppConfig } from '../../infra/config/app-config';
import { DomainEvents } from '../../infra/events/domain-events';
import { Metrics } from '../../infra/metrics/metrics';

/** The largest message a client may send; a larger one closes its connection. */
export const MAX_SOCKET_MESSAGE_BYTES = 1_000_000;

/**
 * Socket.IO as Yishi runs it: origin allow-list, message size limit, and with REDIS_URL the
 * Redis Streams adapter, so several nodes serve one meeting. The streams adapter was chosen over
 * the pub/sub one because it keeps reading where it left off after a short Redis outage instead
 * of silently losing what was published meanwhile (see docs/architecture.md).
 */
export class RealtimeIoAdapter extends IoAdapter {
  /** The adapter's client and the duplicates it makes for reading, all closed with the server. */
  private readonly redisClients: Redis[] = [];

  private readonly events?: DomainEvents;
  private readonly metrics?: Metrics;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly log: Logger,
  ) {
    super(app);
    this.events = app.get(DomainEvents, { strict: false });
    this.metrics = app.get(Metrics, { strict: false });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = new Set(this.config.allowedOrigins);
    const server: Server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      parser: SOCKET_PARSER,
      maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      // Browsers always send Origin: it must be this server itself or an allowed one. Programs
      // (tests, the load tool) send none and are judged by their token alone.
      allowRequest: (req, callback) => callback(null, originAllowed(req, allowed)),
    } as ServerOptions);
    this.metrics?.gauge('yishi_sockets_connected', 'Sockets connected to this node', () => server.of('/').sockets.size);
    if (this.config.REDIS_URL) {
      const redis = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
      redis.on('error', (err) => this.log.warn({ err: err.message }, 'redis (socket adapter) error'));
      // After an outage, what other nodes sent meanwhile may never arrive: whoever holds state fed
      // by them catches up from the database (now, and again shortly, for commits made around
      // the moment the other nodes reconnected).
      let down = false;
      this.metrics?.gauge('yishi_redis_adapter_up', 'Redis of the socket adapter: 1 ready, 0 not', () =>
        redis.status === 'ready' ? 1 : 0,
      );
      redis.on('close', () => (down = true));
      redis.on('ready', () => {
        if (!down) return;
        down = false;
        this.log.info('redis (socket adapter) is back: catching up');
        for (const ms of [0, 2000, 5000]) setTimeout(() => this.events?.emit('crossnode.restored'), ms).unref();
      });
      // The adapter duplicates the client for its blocking reads and only drops those after the
      // next read returns; keep them so that closing the server closes them at once.
      const duplicate = redis.duplicate.bind(redis);
      redis.duplicate = (...args: Parameters<Redis['duplicate']>) => {
        const copy = duplicate(...args);
        this.redisClients.push(copy);
        return copy;
      };
      this.redisClients.push(redis);
      server.adapter(createAdapter(redis, { streamName: 'yishi:socket.io', maxLen: 100_000, blockTimeInMs: 2000 }));
    }
    return server;
  }

  /**
   * Binds each gateway handler to a socket with a plain listener. Nest's own binding builds an
   * rxjs pipeline per handler per socket (about a hundred subscribers and their closures for each
   * connection, some 100 kB of heap) and runs every message through it; this does the same job
   * (the handler's answer goes to the ack, or is emitted when it names an event; a handler that
   * throws is logged) without either.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        const answer = (response: unknown) => {
          if (response === null || response === undefined) return;
          const r = response as { event?: string; data?: unknown };
          if (r.event) socket.emit(r.event, r.data);
          else if (!isAckHandledManually && typeof ack === 'function') ack(response);
        };
        const fail = (err: unknown) => this.log.error({ err, event: message }, 'a socket handler failed');
        // With interceptors (global ones run on gateways too) the answer is an Observable, or a
        // promise of one: each value it gives is answered.
        const deliver = (value: unknown) => {
          if (value && typeof (value as Observable<unknown>).subscribe === 'function')
            transform(value).subscribe({ next: answer, error: fail });
          else answer(value);
        };
        try {
          const result: unknown = callback(data, ack);
          if (result instanceof Promise) result.then(deliver, fail);
          else deliver(result);
        } catch (err) {
          fail(err);
        }
      });
    }
  }

  override async close(server: Server): Promise<void> {
    // The adapter stops its reader and heartbeat first, so nothing is sent on a closed client;
    // with Redis unreachable its goodbye could wait forever, hence the limit.
    await Promise.race([super.close(server), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    for (const c of this.redisClients.splice(0)) c.disconnect();
  }
}

function originAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
