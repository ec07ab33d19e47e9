import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16, "the kind decides who is invited": a person's party membership (党员) in a compound,
 * kept by the chair, and the audience a meeting invites. A person holds one membership row per
 * role; the chair marks the person, so every row of theirs in the compound carries the same mark.
 * Meetings from before this get their kind's default audience (as the kind table had it then).
 */
export class MeetingAudience1766000000000 implements MigrationInterface {
  name = 'MeetingAudience1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE membership ADD COLUMN party_member boolean NOT NULL DEFAULT false;
      -- The statistics count a compound's party members, and check-ins of them, from this.
      CREATE INDEX membership_party ON membership (compound_id, user_id) WHERE party_member;

      ALTER TABLE meeting ADD COLUMN audience text NOT NULL DEFAULT 'everyone'
        CHECK (audience IN ('everyone', 'residents', 'party_members'));
      UPDATE meeting SET audience = CASE
        WHEN kind IN ('party_branch', 'party_lesson', 'organisational_life') THEN 'party_members'
        WHEN kind = 'assembly' THEN 'residents'
        ELSE 'everyone' END
      WHERE kind <> 'deliberation';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE meeting DROP COLUMN audience;
      DROP INDEX membership_party;
      ALTER TABLE membership DROP COLUMN party_member;
    `);
  }
}
