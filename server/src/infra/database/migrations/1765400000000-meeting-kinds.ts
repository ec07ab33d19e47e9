import type { MigrationInterface, QueryRunner } from 'typeorm';

// The kinds and scopes as they were when this migration was written (shared/src/domain/meeting-kinds.ts holds the living lists).
const KINDS = ['deliberation', 'discussion', 'topic', 'advice', 'party_branch', 'party_lesson', 'organisational_life', 'assembly'];
const SCOPES = ['compound', 'community', 'street'];
const sqlList = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Issue 16: a meeting's kind (deliberation for every meeting held before kinds existed) and its
 * scope; an agenda item may concern another compound of that scope. The indexes serve the
 * statistics page, each covering the columns its count reads so it scans the index only.
 */
export class MeetingKinds1765400000000 implements MigrationInterface {
  name = 'MeetingKinds1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE meeting
        ADD COLUMN kind text NOT NULL DEFAULT 'deliberation' CHECK (kind IN (${sqlList(KINDS)})),
        ADD COLUMN scope text NOT NULL DEFAULT 'compound' CHECK (scope IN (${sqlList(SCOPES)}));
      -- The compound an item concerns when a community or street meeting takes it up; null: the host compound.
      ALTER TABLE agenda_item ADD COLUMN compound_id uuid REFERENCES compound(id);
      CREATE INDEX agenda_item_compound ON agenda_item (compound_id, meeting_id) WHERE compound_id IS NOT NULL;

      CREATE INDEX meeting_stats ON meeting (compound_id, scheduled_at) INCLUDE (kind, status);
      CREATE INDEX attendance_meeting ON attendance (meeting_id) INCLUDE (household_ids);
      CREATE INDEX vote_round_stats ON vote_round (compound_id, closed_at) INCLUDE (passed) WHERE status = 'closed';
      CREATE INDEX demand_stats ON demand (compound_id, created_at) INCLUDE (status, channel);
      CREATE INDEX whistle_stats ON whistle (compound_id, created_at) INCLUDE (deadline);
      CREATE INDEX project_stats ON project (compound_id, status, ended_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX project_stats; DROP INDEX whistle_stats; DROP INDEX demand_stats; DROP INDEX vote_round_stats;
      DROP INDEX attendance_meeting; DROP INDEX meeting_stats; DROP INDEX agenda_item_compound;
      ALTER TABLE agenda_item DROP COLUMN compound_id;
      ALTER TABLE meeting DROP COLUMN scope, DROP COLUMN kind;
    `);
  }
}
