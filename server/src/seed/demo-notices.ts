import type { INestApplication } from '@nestjs/common';
import { publishNoticeSchema } from '@yishi/shared';
import { DataSource } from 'typeorm';
import type { CompoundAccess } from '../modules/memberships/compound-access';
import { NoticesService } from '../modules/notices/notices.service';

/**
 * The story has no adopted decision yet (its bungalow plan is on its second draft), so the demo's
 * notice (公示) is a finished project's acceptance: public, with one objection the chair answered.
 */
export const DEMO_NOTICE = {
  project: '楼道照明改造',
  note: '楼道照明改造已完工并经居民验收，现予公示。',
  objection: '4号楼三层的声控灯还是不够灵敏。',
  answer: '已请物业本周内调整4号楼三层声控灯的灵敏度。',
} as const;

export async function seedNotices(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  const notices = app.get(NoticesService);
  const [row] = await db.query(
    `SELECT p.id, p.compound_id, c.id AS chair_id, r.id AS resident_id FROM project p, app_user c, app_user r
      WHERE p.title = $1 AND c.username = 'chair' AND r.username = 'resident3'`,
    [DEMO_NOTICE.project],
  );
  const access = (role: 'chair' | 'resident'): CompoundAccess => ({ compoundId: row.compound_id, roles: [role], memberships: [] });
  const notice = await notices.publish(
    access('chair'),
    row.chair_id,
    publishNoticeSchema.parse({ projectId: row.id, note: DEMO_NOTICE.note, isPublic: true }),
  );
  const objected = await notices.object(access('resident'), row.resident_id, notice.id, DEMO_NOTICE.objection);
  await notices.answer(access('chair'), row.chair_id, notice.id, objected.objections[0]!.id, DEMO_NOTICE.answer);
}
