import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: the projector view of a live meeting. A link's token is never stored, only its
 * SHA-256, so a copy of the database cannot open anyone's screen. At most one live link per
 * meeting; revoked links stay as the record of who opened and closed the screen.
 */
export class ProjectorLinks1765700000000 implements MigrationInterface {
  name = 'ProjectorLinks1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projector_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid REFERENCES app_user(id),
        revoked_at timestamptz,
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      );
      CREATE UNIQUE INDEX projector_link_live ON projector_link (meeting_id) WHERE revoked_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projector_link`);
  }
}
