import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { allows, decodeSyncMessage, isEmptyStateVector, isEmptyUpdate, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from '@yishi/shared';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { AccessService } from '../auth/access.service';
import { DocStore } from '../documents/doc-store.service';
import { ProjectorLinksService } from '../projector/projector-links.service';
import { DocAwarenessRelay } from './doc-awareness';
import { DocFanout } from './doc-fanout';
import { type DocOwner, DocRights } from './doc-rights';
import { syncFrame } from './node-wire';
import { type JoinedDoc, type RemoteYishiSocket, rooms, type YishiServer, type YishiSocket } from './realtime-socket';
import { SocketCommands } from './socket-commands';

const room = rooms.doc;

/**
 * Co-edited documents over the same Socket.IO connection as meetings: joining, leaving, and the
 * y-protocols messages, which arrive unchanged. The gateway reads only a sync message's type
 * (shared's y-sync-wire) to enforce rights (the sync protocol has none of its own) and hands its
 * content to the DocStore, which does all Yjs work in bounded worker threads and commits every
 * update before it is acknowledged. Where committed changes go: DocFanout; cursors and names:
 * DocAwarenessRelay.
 */
@WebSocketGateway()
export class DocsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() private server!: YishiServer;

  constructor(
    private readonly access: AccessService,
    private readonly rights: DocRights,
    private readonly docs: DocStore,
    private readonly events: DomainEvents,
    private readonly commands: SocketCommands,
    private readonly fanout: DocFanout,
    private readonly awareness: DocAwarenessRelay,
    private readonly projectorLinks: ProjectorLinksService,
  ) {}

  afterInit(server: YishiServer): void {
    this.fanout.attach(server);
    this.awareness.attach(server);
    this.commands.onMembershipChange(server, 'docs', (sockets, c) => this.reauthorize(sockets, c.compoundId));
    this.events.on('proposal.edit_rights', ({ proposalId }) => void this.reauthorizeEditors(proposalId));
    this.events.on('doc.edit_rights', ({ docId }) => void this.reauthorizeEditors(docId));
  }

  handleDisconnect(socket: YishiSocket): void {
    for (const docId of Object.keys(socket.data?.docs ?? {})) this.leaveDoc(socket, docId);
  }

  @SubscribeMessage('doc:join')
  join(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.commands.run(s, 'doc:join', body, async (p) => {
      const owner = await this.rights.ownerOf(p.docId);
      if (!owner) throw new AppError('NOT_FOUND');
      const { canEdit, role, minutes } = await this.rightsOf(s, p.docId, owner);
      const loaded = await this.docs.get(p.docId);
      this.awareness.hook(loaded);
      if (p.batched) await s.join([room(p.docId), rooms.docBatched(p.docId)]);
      else {
        // It may have joined batched before.
        await s.leave(rooms.docBatched(p.docId));
        await s.join(room(p.docId));
      }
      this.docs.follow(loaded, s.id);
      s.data.docs = { ...s.data.docs, [p.docId]: { compoundId: owner.compoundId, canEdit, role, minutes } };
      // The server's sync step 1 (of what is committed): the client answers with whatever the
      // server lacks (offline edits).
      s.emit('doc:sync', { docId: p.docId, message: syncFrame(SYNC_STEP_1, await this.docs.stateVector(loaded)) });
      this.awareness.sendStates(s, loaded);
      return { canEdit };
    });
  }

  @SubscribeMessage('doc:leave')
  leave(@ConnectedSocket() s: YishiSocket, @MessageBody() body: unknown) {
    return this.commands.run(s, 'doc:leave', body, async (p) => {
      this.leaveDoc(s, p.docId);
      return {};
    });
  }

  /** Edits and cursors arrive many times a second (see SocketCommands.bindDirect). */
  handleConnection(s: YishiSocket): void {
    this.commands.bindDirect(s, 'doc:sync', (body) => this.sync(s, body));
    this.commands.bindDirect(s, 'doc:awareness', (body) => this.awarenessUpdate(s, body));
  }

  private sync(s: YishiSocket, body: unknown) {
    return this.commands.run(s, 'doc:sync', body, async (p) => {
      const joined = this.joined(s, p.docId);
      let type: number;
      let payload: Uint8Array;
      try {
        ({ type, payload } = decodeSyncMessage(new Uint8Array(p.message)));
      } catch {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a y-protocols sync message' }] });
      }
      if (type === SYNC_STEP_1) {
        const loaded = await this.docs.get(p.docId);
        // A newcomer gets the cached whole document.
        return { reply: syncFrame(SYNC_STEP_2, await this.docs.diff(loaded, isEmptyStateVector(payload) ? null : payload, s.data.userId)) };
      }
      if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'unknown sync message type' }] });
      if (!joined.canEdit) {
        // A read-only client's answer to sync step 1 is empty; anything else would be an edit.
        if (isEmptyUpdate(payload)) return {};
        throw new AppError('FORBIDDEN');
      }
      // Closed minutes, or a recorder no longer named, take no edit, even from a socket the change has not reached yet.
      if (joined.minutes && !(await this.rights.minutesEditable(p.docId, s.data.userId, joined.minutes === 'chair')))
        throw new AppError('FORBIDDEN');
      await this.docs.append(p.docId, payload, s.data.userId, s.id);
      return {};
    });
  }

  private awarenessUpdate(s: YishiSocket, body: unknown) {
    return this.commands.run(s, 'doc:awareness', body, async (p) => {
      await this.awareness.receive(s, p.docId, this.joined(s, p.docId), new Uint8Array(p.message));
      return {};
    });
  }

  /**
   * A person by their role and the document's rules (a proposal: the chair's invitation and its
   * status; minutes: the chair and the recorder until closed); a projector reads its meeting's
   * proposals and never edits.
   */
  private async rightsOf(s: YishiSocket, docId: string, owner: DocOwner): Promise<Pick<JoinedDoc, 'canEdit' | 'role' | 'minutes'>> {
    const projector = s.data.projector;
    if (projector) {
      const mine = await this.projectorLinks.proposals(projector.meetingId);
      if (!mine.some((x) => x.id === docId)) throw new AppError('NOT_FOUND');
      return { canEdit: false, role: 'observer' };
    }
    const access = await this.access.authorize(s.data.userId, owner.compoundId, owner.follow);
    return {
      canEdit: await owner.canEdit(s.data.userId, access.roles),
      role: access.roles[0] ?? 'observer',
      minutes: owner.kind === 'minutes' ? (allows(access.roles, 'meeting.run') ? 'chair' : 'member') : undefined,
    };
  }

  private leaveDoc(s: YishiSocket, docId: string): void {
    leaveRooms(s, docId);
    if (s.data?.docs) delete s.data.docs[docId];
    this.docs.unfollow(docId, s.id);
    this.awareness.forget(s.id, docId);
  }

  private joined(s: YishiSocket, docId: string): JoinedDoc {
    const j = s.data.docs?.[docId];
    if (!j || !s.rooms.has(room(docId))) throw new AppError('NOT_FOUND', { message: 'join the document first' });
    return j;
  }

  /** After a membership change the user's sockets leave the documents of that compound; they may join again. */
  private async reauthorize(sockets: RemoteYishiSocket[], compoundId: string): Promise<void> {
    for (const s of sockets) {
      for (const [docId, j] of Object.entries(s.data.docs ?? {})) if (j.compoundId === compoundId) leaveRooms(s, docId);
    }
  }

  /** After who may edit a document changed: its editors who no longer may leave the document; they may join again, read-only. */
  private async reauthorizeEditors(docId: string): Promise<void> {
    const owner = await this.rights.ownerOf(docId);
    for (const s of await this.server.in(room(docId)).fetchSockets()) {
      const j = s.data.docs?.[docId];
      if (!j?.canEdit) continue;
      const access = owner && (await this.access.authorize(s.data.userId, j.compoundId, owner.follow).catch(() => null));
      const may = access && (await owner.canEdit(s.data.userId, access.roles));
      // Joined again meanwhile (read-only, as the new join decided): that join stands.
      if (!may && s.data.docs?.[docId] === j) leaveRooms(s, docId);
    }
  }
}

/** Out of the document's rooms, all of them: whichever it is in no longer sends it the document. */
function leaveRooms(s: Pick<YishiSocket | RemoteYishiSocket, 'leave'>, docId: string): void {
  void s.leave(room(docId));
  void s.leave(rooms.docBatched(docId));
}
