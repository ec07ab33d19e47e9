import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { encodeSyncMessages, SYNC_UPDATE } from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { DocStore } from '../documents/doc-store.service';
import { syncFrame, wire } from './node-wire';
import { type InterServerEvents, rooms, type YishiServer } from './realtime-socket';

const room = rooms.doc;

/**
 * Where documents' changes go once made: to this node's followers as soon as a worker applied
 * them (paced when the document is busy), and once committed, merged per commit batch, through
 * the adapter (`serverSideEmit`) to the other nodes, which apply them to their own copy and pass
 * them on. After the cross-node channel was down, every
 * node catches its documents up from the database. Also tells followers when a document was
 * reloaded or its comments changed, and the chairs when stored edits were set aside.
 */
@Injectable()
export class DocFanout {
  private server!: YishiServer;

  constructor(
    private readonly docs: DocStore,
    private readonly events: DomainEvents,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Called once, by the docs gateway, when the Socket.IO server exists. */
  attach(server: YishiServer): void {
    this.server = server;
    server.on('doc:updates', (docId, update) => {
      void this.docs.applyRemote(docId, new Uint8Array(update)).then((delta) => {
        if (delta) server.local.to(room(docId)).emit('doc:sync', { docId, message: syncFrame(SYNC_UPDATE, delta) });
      });
    });
    this.docs.toFollowers = (docId, updates, authors) => {
      // A change from one socket need not go back to it: it has those edits already.
      const author = authors.size === 1 ? authors.values().next().value! : undefined;
      const send = (to: ReturnType<YishiServer['to']>, message: Uint8Array) =>
        (author ? to.except(author) : to).emit('doc:sync', { docId, message: wire(message) });
      if (updates.length === 1) return send(server.local.to(room(docId)), encodeSyncMessages(SYNC_UPDATE, updates));
      // Several at once: one message to the followers who read them so, one each to the rest.
      const batched = rooms.docBatched(docId);
      send(server.local.to(batched), encodeSyncMessages(SYNC_UPDATE, updates));
      if ((server.sockets.adapter.rooms.get(room(docId))?.size ?? 0) > (server.sockets.adapter.rooms.get(batched)?.size ?? 0))
        for (const u of updates) send(server.local.to(room(docId)).except(batched), encodeSyncMessages(SYNC_UPDATE, [u]));
    };
    this.docs.toOtherNodes = (docId, update) => this.toOtherNodes('doc:updates', docId, update);
    this.docs.onReset = (docId) => server.local.to(room(docId)).emit('doc:reset', { docId });
    this.events.on('comments.changed', ({ proposalId }) => server.to(room(proposalId)).emit('doc:comments', { docId: proposalId }));
    this.events.on('doc.quarantined', (q) => void this.tellChairs(q.docId, q.updates.length));
    this.events.on('crossnode.restored', () => void this.docs.refreshAll());
  }

  /** Tells the other nodes (there are some only with Redis). */
  toOtherNodes(event: keyof InterServerEvents, docId: string, bytes: Uint8Array): void {
    if (this.config.REDIS_URL) this.server.serverSideEmit(event, docId, wire(bytes));
  }

  /** The chairs of the document's compound learn that stored edits were set aside. */
  private async tellChairs(docId: string, count: number): Promise<void> {
    try {
      const chairs: Array<{ user_id: string }> = await this.db.query(
        `SELECT DISTINCT m.user_id FROM membership m
         WHERE m.role = 'chair' AND m.compound_id IN (SELECT compound_id FROM proposal WHERE id = $1 UNION ALL SELECT compound_id FROM minutes WHERE id = $1)`,
        [docId],
      );
      for (const c of chairs) this.server.to(rooms.user(c.user_id)).emit('doc:quarantined', { docId, count });
    } catch (err) {
      this.log.warn({ err, docId }, 'could not tell the chairs about quarantined updates');
    }
  }
}
