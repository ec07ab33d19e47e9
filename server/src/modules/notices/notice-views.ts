import { allows, type NoticeRecord, type NoticeState, type NoticeSummary, type NoticeView, type Role } from '@yishi/shared';
import type { EntityManager } from 'typeorm';

/** Who is reading: a member with their roles, or anyone on the public page (no names, no actions). */
export type NoticeReader = { kind: 'member'; userId: string; roles: Role[] } | { kind: 'public' };

interface NoticeRow {
  id: string;
  compound_id: string;
  compound_name: string;
  proposal_id: string | null;
  project_id: string | null;
  title: string;
  note: string;
  record: NoticeRecord;
  is_public: boolean;
  public_token: string | null;
  published_at: Date;
  ends_at: Date;
  withdrawn_at: Date | null;
  withdraw_reason: string | null;
  published_by_name: string;
  ended: boolean;
}

interface ObjectionRow {
  id: string;
  body: string;
  raised_at: Date;
  raised_by: string;
  raised_by_name: string;
  answer: string | null;
  answered_at: Date | null;
  answered_by_name: string | null;
  audit_hash: string;
}

/** The notice's state, with "ended" decided by the database's clock (the same one that refuses a late objection). */
const stateOf = (n: { withdrawn_at: Date | null; ended: boolean }): NoticeState =>
  n.withdrawn_at ? 'withdrawn' : n.ended ? 'ended' : 'open';

const NOTICE_SELECT = `
  SELECT n.*, c.name AS compound_name, u.display_name AS published_by_name, n.ends_at <= now() AS ended
    FROM notice n JOIN compound c ON c.id = n.compound_id JOIN app_user u ON u.id = n.published_by`;

/** One notice with its objections, as the reader may see it; null when it is not theirs to see. */
export async function findNotice(
  m: EntityManager,
  reader: NoticeReader,
  where: { compoundId: string; noticeId: string } | { publicToken: string },
): Promise<NoticeView | null> {
  const [n]: NoticeRow[] =
    'publicToken' in where
      ? await m.query(`${NOTICE_SELECT} WHERE n.public_token = $1 AND n.is_public`, [where.publicToken])
      : await m.query(`${NOTICE_SELECT} WHERE n.id = $1 AND n.compound_id = $2`, [where.noticeId, where.compoundId]);
  if (!n) return null;
  const objections: ObjectionRow[] = await m.query(
    `SELECT o.id, o.body, o.raised_at, o.raised_by, r.display_name AS raised_by_name, o.answer, o.answered_at,
            a.display_name AS answered_by_name, o.audit_hash
       FROM notice_objection o JOIN app_user r ON r.id = o.raised_by LEFT JOIN app_user a ON a.id = o.answered_by
      WHERE o.notice_id = $1 ORDER BY o.raised_at, o.id`,
    [n.id],
  );
  const member = reader.kind === 'member' ? reader : null;
  const state = stateOf(n);
  return {
    id: n.id,
    compoundId: n.compound_id,
    compoundName: n.compound_name,
    subject: { kind: n.proposal_id ? 'proposal' : 'project', id: (n.proposal_id ?? n.project_id)!, title: n.title },
    note: n.note,
    record: n.record,
    publishedAt: n.published_at.toISOString(),
    endsAt: n.ends_at.toISOString(),
    state,
    isPublic: n.is_public,
    publicToken: member ? n.public_token : null,
    publishedByName: member ? n.published_by_name : null,
    withdrawnAt: n.withdrawn_at?.toISOString() ?? null,
    withdrawReason: n.withdraw_reason,
    objections: objections.map((o) => ({
      id: o.id,
      body: o.body,
      raisedAt: o.raised_at.toISOString(),
      raisedByName: member ? o.raised_by_name : null,
      mine: member?.userId === o.raised_by,
      answer: o.answer,
      answeredAt: o.answered_at?.toISOString() ?? null,
      answeredByName: member ? o.answered_by_name : null,
      receipt: o.audit_hash,
    })),
    can: {
      object: !!member && state === 'open' && allows(member.roles, 'notice.object'),
      answer: !!member && state !== 'withdrawn' && allows(member.roles, 'notice.publish'),
      withdraw: !!member && state !== 'withdrawn' && allows(member.roles, 'notice.publish'),
    },
  };
}

/** The compound's notices, newest first (indexed by notice_compound). */
export async function listNotices(m: EntityManager, compoundId: string): Promise<NoticeSummary[]> {
  const rows: Array<NoticeRow & { objections: number; unanswered: number }> = await m.query(
    `SELECT n.id, n.proposal_id, n.project_id, n.title, n.published_at, n.ends_at, n.withdrawn_at, n.ends_at <= now() AS ended,
            (SELECT count(*)::int FROM notice_objection o WHERE o.notice_id = n.id) AS objections,
            (SELECT count(*)::int FROM notice_objection o WHERE o.notice_id = n.id AND o.answer IS NULL) AS unanswered
       FROM notice n WHERE n.compound_id = $1 ORDER BY n.published_at DESC LIMIT 200`,
    [compoundId],
  );
  return rows.map((n) => ({
    id: n.id,
    subject: { kind: n.proposal_id ? 'proposal' : 'project', id: (n.proposal_id ?? n.project_id)!, title: n.title },
    publishedAt: n.published_at.toISOString(),
    endsAt: n.ends_at.toISOString(),
    state: stateOf(n),
    objections: n.objections,
    unanswered: n.unanswered,
  }));
}
