import { Inject, Injectable } from '@nestjs/common';
import {
  type Ack,
  type ApiError,
  type CommandHandler,
  type CommandName,
  type CommandResult,
  commandSchemas,
  docCommandSchemas,
  findUnsafeText,
  type ParsedCommand,
  PROJECTOR_COMMANDS,
  voteCommandSchemas,
} from '@yishi/shared';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { toApiError } from '../../infra/errors/all-exceptions.filter';
import { DomainEvents } from '../../infra/events/domain-events';
import { toFieldErrors } from '../../infra/http/zod.pipe';
import { NodeLifecycle } from '../../infra/health/node-lifecycle';
import { LOGGER } from '../../infra/logging/logger.module';
import { Metrics } from '../../infra/metrics/metrics';
import { newRequestId, withRequestId } from '../../infra/logging/request-context';
import { ProjectorLinksService } from '../projector/projector-links.service';
import { TokenBucket } from './rate-limiter';
import { type RemoteYishiSocket, rooms, type YishiServer, type YishiSocket } from './realtime-socket';

/** Per socket, one bucket of each kind: capacity, and refill per second. */
const BUCKETS = {
  meetings: [40, 20],
  chat: [5, 1],
  docs: [200, 100],
  votes: [40, 20],
} as const satisfies Record<string, readonly [number, number]>;
type BucketKind = keyof typeof BUCKETS;

function bucketsOf(name: CommandName): BucketKind[] {
  if (name === 'chat:send') return ['meetings', 'chat'];
  if (name in docCommandSchemas) return ['docs'];
  if (name in voteCommandSchemas) return ['votes'];
  return ['meetings'];
}
const BUCKETS_OF = Object.fromEntries(Object.keys(commandSchemas).map((n) => [n, bucketsOf(n as CommandName)])) as Record<
  CommandName,
  BucketKind[]
>;

/**
 * The plumbing every gateway's commands go through. `admit` takes the socket's rate limits as a
 * message arrives; `run` is the one pipeline: the payload's zod schema, then the handler (which
 * authorizes). Whatever goes wrong becomes `{ ok: false, error }` in the caller's language;
 * nothing is thrown at the socket, and only unexpected errors are logged. `onMembershipChange`
 * lets each gateway look at a user's sockets again, on every node, when their roles change.
 */
@Injectable()
export class SocketCommands {
  private readonly buckets = new WeakMap<object, Partial<Record<BucketKind, TokenBucket>>>();

  constructor(
    private readonly events: DomainEvents,
    private readonly projectorLinks: ProjectorLinksService,
    private readonly lifecycle: NodeLifecycle,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  async run<C extends CommandName>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    handler: CommandHandler<C>,
  ): Promise<Ack<CommandResult<C>>> {
    // A draining node answers what it accepted before, and nothing new: UNAVAILABLE tells the
    // client to try again, which it does on the node it reconnects to.
    if (this.lifecycle.draining) return this.refusal(socket, name, new AppError('UNAVAILABLE'));
    return this.lifecycle.track(() => withRequestId(newRequestId(), () => this.pipeline(socket, name, body, handler)));
  }

  private async pipeline<C extends CommandName>(
    socket: YishiSocket,
    name: C,
    body: unknown,
    handler: CommandHandler<C>,
  ): Promise<Ack<CommandResult<C>>> {
    try {
      await this.projectorMay(socket, name);
      const unsafe = findUnsafeText(body);
      if (unsafe.length) throw new AppError('VALIDATION_FAILED', { fields: unsafe });
      const schema: ZodType = commandSchemas[name];
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', { fields: toFieldErrors(parsed.error) });
      return { ok: true, ...(await handler(parsed.data as ParsedCommand<C>)) };
    } catch (err) {
      return this.refusal(socket, name, err);
    }
  }

  /**
   * Takes the socket's allowance for a message as it arrives, before any handler: a socket's
   * messages are counted in the order it sent them, whichever way their command is bound (Nest's
   * binding reaches its handler some ticks after a direct one would). A message over the allowance
   * is answered RATE_LIMITED here and goes no further: false.
   */
  admit(socket: YishiSocket, packet: unknown[]): boolean {
    const name = packet[0];
    const ack = packet[packet.length - 1];
    if (typeof name !== 'string' || !Object.hasOwn(commandSchemas, name)) {
      // No handler takes it, but it was read and decoded all the same: it counts against the
      // socket's general allowance (a flood of made-up names slows its sender like any other),
      // and a sender waiting for an answer is told there is no such command.
      const admitted = this.takeKinds(socket, ['meetings']);
      const err = admitted ? new AppError('NOT_FOUND', { message: 'there is no such command' }) : new AppError('RATE_LIMITED');
      if (typeof ack === 'function') ack(this.refusal(socket, String(name).slice(0, 64), err));
      return false;
    }
    if (this.takeKinds(socket, BUCKETS_OF[name as CommandName])) return true;
    if (typeof ack === 'function') ack(this.refusal(socket, name, new AppError('RATE_LIMITED')));
    return false;
  }

  /**
   * Binds a command on the socket itself rather than through Nest's per-message pipeline: for the
   * commands sent many times a second (edits, cursors, ballots). Nest runs every message through
   * rxjs observables and its context creator: a quarter of the node's time when casting at full
   * speed, and 0.7 s of the event loop's 8 s on the 10-document co-editing load
   * (docs/benchmarks.md). `handle` is expected to go through `run`, so the same validation and ack
   * envelope apply; the rate limits were taken on arrival (`admit`), whichever the binding.
   */
  bindDirect(socket: YishiSocket, name: CommandName, handle: (body: unknown) => Promise<Ack>): void {
    socket.on(name, (body: unknown, ack?: unknown) => {
      void handle(body).then((reply) => typeof ack === 'function' && ack(reply));
    });
  }

  private refusal(socket: YishiSocket, name: string, err: unknown): { ok: false; error: ApiError } {
    const { status, error } = toApiError(err, socket.data?.language);
    this.metrics.error(error.code, 'socket');
    if (status >= 500 && !(err instanceof AppError && err.code === 'UNAVAILABLE'))
      this.log.error({ err, command: name, userId: socket.data?.userId }, 'socket command failed');
    return { ok: false, error };
  }

  /**
   * After a user's membership of a compound changed, `recheck` gets their sockets on every node
   * (as `job` names it in the log if that fails).
   */
  onMembershipChange(
    server: YishiServer,
    job: string,
    recheck: (sockets: RemoteYishiSocket[], change: { userId: string; compoundId: string }) => Promise<void>,
  ): void {
    this.events.on('membership.changed', (change) => {
      server
        .in(rooms.user(change.userId))
        .fetchSockets()
        .then((sockets) => recheck(sockets, change))
        .catch((err: unknown) => this.log.warn({ err, job }, 'reauthorizing sockets failed'));
    });
  }

  /**
   * A projector's socket is a meeting's link, not a person: it may send only its own few
   * commands, and only while the link is live (revoking also disconnects it, on every node; this
   * catches a command already on its way).
   */
  private async projectorMay(socket: YishiSocket, name: CommandName): Promise<void> {
    const projector = socket.data?.projector;
    if (!projector) {
      if (name === 'projector:join') throw new AppError('FORBIDDEN');
      return;
    }
    if (!(PROJECTOR_COMMANDS as readonly string[]).includes(name)) throw new AppError('FORBIDDEN');
    if (!(await this.projectorLinks.isLive(projector.linkId))) {
      socket.disconnect(true);
      throw new AppError('UNAUTHENTICATED');
    }
  }

  /** One flooding socket is slowed down and nobody else notices. */
  private takeKinds(socket: object, kinds: readonly BucketKind[]): boolean {
    let mine = this.buckets.get(socket);
    if (!mine) this.buckets.set(socket, (mine = {}));
    for (const kind of kinds) {
      const [capacity, perSecond] = BUCKETS[kind];
      const bucket = (mine[kind] ??= new TokenBucket(capacity, perSecond));
      if (!bucket.take()) return false;
    }
    return true;
  }
}
