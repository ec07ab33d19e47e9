import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { allows, canonicalJson, type MeetingRecord, type MinutesView, type Role } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { AuditService, sha256 } from '../audit/audit.service';
import { DocStore } from '../documents/doc-store.service';
import type { CompoundAccess } from '../memberships/compound-access';
import { Meeting } from '../meetings/meeting.entities';
import { buildMeetingRecord } from './meeting-record';
import { readRecordRows } from './record-rows';

interface MinutesRow {
  id: string;
  meeting_id: string;
  compound_id: string;
  recorder_id: string | null;
  recorder_name: string | null;
  closed_at: Date | null;
  closed_by_name: string | null;
  html: string | null;
  text: string | null;
  record: string | null;
  hash: string | null;
}

/**
 * The hash of closed minutes: SHA-256 (hex) of `JSON.stringify({ v: 1, html, record })`, where
 * `record` is the automatic record as canonical JSON text. Anyone can recompute it from the view.
 */
export function minutesHash(html: string, recordJson: string): string {
  return sha256(JSON.stringify({ v: 1, html, record: recordJson }));
}

/**
 * Minutes (会议纪要) of a meeting: a document co-edited through the same DocStore as proposals
 * (its id is the document's id), written by the chair and the recorder the chair names, beside
 * the automatic record. Closing freezes text and record with a hash into the minutes' audit chain.
 */
@Injectable()
export class MinutesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly docs: DocStore,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  /** The compound of a minutes document, or null when the id is not one (the document gateway asks). */
  async compoundOf(docId: string): Promise<{ compoundId: string } | null> {
    const [row] = await this.db.query(`SELECT compound_id FROM minutes WHERE id = $1`, [docId]);
    return row ? { compoundId: row.compound_id } : null;
  }

  /** Whether a user may edit the minutes now: until closed, the chair or the named recorder. */
  async canEdit(docId: string, userId: string, roles: readonly Role[]): Promise<boolean> {
    const [row] = await this.db.query(`SELECT recorder_id, closed_at FROM minutes WHERE id = $1`, [docId]);
    if (!row || row.closed_at) return false;
    return allows(roles, 'meeting.run') || row.recorder_id === userId;
  }

  /** Whether open minutes take an edit from the user as chair, or as the recorder named now. */
  async editableBy(docId: string, userId: string, asChair: boolean): Promise<boolean> {
    const [row] = await this.db.query(`SELECT closed_at, recorder_id FROM minutes WHERE id = $1`, [docId]);
    return !!row && !row.closed_at && (asChair || row.recorder_id === userId);
  }

  /** The meeting's minutes, made on first use, with the automatic record (frozen once closed). */
  async view(access: CompoundAccess, userId: string, meetingId: string, m: EntityManager = this.db.manager): Promise<MinutesView> {
    const { meeting, row } = await this.load(m, access.compoundId, meetingId);
    const record: MeetingRecord = row.record ? JSON.parse(row.record) : buildMeetingRecord(await readRecordRows(m, meeting));
    const mayEdit = allows(access.roles, 'meeting.run') || row.recorder_id === userId;
    return {
      id: row.id,
      meetingId,
      compoundId: access.compoundId,
      meetingTitle: meeting.title,
      recorder: row.recorder_id ? { userId: row.recorder_id, name: row.recorder_name ?? '' } : null,
      canEdit: !row.closed_at && mayEdit,
      closed: row.closed_at
        ? { at: row.closed_at.toISOString(), byName: row.closed_by_name ?? '', hash: row.hash!, html: row.html!, text: row.text! }
        : null,
      record,
    };
  }

  /** The chair names the recorder (a member of the compound) or clears it; who may edit changes at once. */
  async setRecorder(access: CompoundAccess, userId: string, meetingId: string, recorderId: string | null): Promise<MinutesView> {
    const view = await this.db.transaction(async (m) => {
      const { row } = await this.load(m, access.compoundId, meetingId, true);
      if (row.closed_at) throw new AppError('CONFLICT', { details: { reason: 'minutes closed' } });
      if (recorderId) {
        const [member] = await m.query(`SELECT 1 FROM membership WHERE compound_id = $1 AND user_id = $2 LIMIT 1`, [
          access.compoundId,
          recorderId,
        ]);
        if (!member) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'userId', message: 'no such member of this compound' }] });
      }
      await m.query(`UPDATE minutes SET recorder_id = $2 WHERE id = $1`, [row.id, recorderId]);
      return this.view(access, userId, meetingId, m);
    });
    this.events.emit('doc.edit_rights', { docId: view.id });
    return view;
  }

  /**
   * Closes the minutes: the text as committed now (read afresh in this transaction and rendered
   * in a worker, as a revision is) and the automatic record are frozen with their hash, which is
   * chained into the minutes' audit chain. No edit is accepted after; closing twice is a conflict.
   */
  async close(access: CompoundAccess, userId: string, meetingId: string): Promise<MinutesView> {
    const view = await this.db.transaction(async (m) => {
      const { meeting, row } = await this.load(m, access.compoundId, meetingId, true);
      if (row.closed_at) throw new AppError('CONFLICT', { details: { reason: 'minutes already closed' } });
      if (!meeting.openedAt) throw new AppError('CONFLICT', { details: { reason: 'the meeting has not been held' } });
      const { state, html, text } = await this.docs.renderCommitted(row.id, m);
      const recordJson = canonicalJson(buildMeetingRecord(await readRecordRows(m, meeting)));
      const hash = minutesHash(html, recordJson);
      await m.query(
        `UPDATE minutes SET closed_at = now(), closed_by = $2, doc_state = $3, html = $4, text = $5, record = $6, hash = $7 WHERE id = $1`,
        [row.id, userId, Buffer.from(state), html, text, recordJson, hash],
      );
      await this.audit.append(m, row.id, [
        { kind: 'minutes.closed', body: { minutes: row.id, meeting: meetingId, hash, closedBy: userId } },
      ]);
      return this.view(access, userId, meetingId, m);
    });
    this.events.emit('doc.edit_rights', { docId: view.id });
    return view;
  }

  /** The text as it reads now: frozen once closed, else as committed. */
  async currentText(view: MinutesView): Promise<string> {
    if (view.closed) return view.closed.text;
    return (await this.docs.renderCommitted(view.id, this.db.manager)).text;
  }

  private async load(
    m: EntityManager,
    compoundId: string,
    meetingId: string,
    lock = false,
  ): Promise<{ meeting: Meeting; row: MinutesRow }> {
    const meeting = await m.findOneBy(Meeting, { id: meetingId, compoundId });
    if (!meeting) throw new AppError('NOT_FOUND');
    await m.query(`INSERT INTO minutes (meeting_id, compound_id) VALUES ($1, $2) ON CONFLICT (meeting_id) DO NOTHING`, [
      meetingId,
      compoundId,
    ]);
    const [row] = await m.query(
      `SELECT n.*, r.display_name AS recorder_name, c.display_name AS closed_by_name FROM minutes n
       LEFT JOIN app_user r ON r.id = n.recorder_id LEFT JOIN app_user c ON c.id = n.closed_by
       WHERE n.meeting_id = $1 ${lock ? 'FOR UPDATE OF n' : ''}`,
      [meetingId],
    );
    return { meeting, row };
  }
}
