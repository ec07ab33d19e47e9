import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Funding plans on frozen revisions; comments anchored to a funding line. */
export class Funding1764600000000 implements MigrationInterface {
  name = 'Funding1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The canonical JSON of the frozen funding plan, byte for byte what was hashed (text, not
      -- jsonb: jsonb reorders keys); NULL when the plan had no lines.
      ALTER TABLE revision ADD COLUMN funding text;

      -- A thread is anchored to a range of the text or to one funding line, never both.
      ALTER TABLE comment ADD COLUMN funding_line_id text;
      ALTER TABLE comment ADD CONSTRAINT comment_one_anchor CHECK (funding_line_id IS NULL OR anchor_start IS NULL);
      CREATE INDEX comment_funding_line ON comment (proposal_id, funding_line_id) WHERE funding_line_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX comment_funding_line;
      ALTER TABLE comment DROP CONSTRAINT comment_one_anchor;
      ALTER TABLE comment DROP COLUMN funding_line_id;
      ALTER TABLE revision DROP COLUMN funding;
    `);
  }
}
