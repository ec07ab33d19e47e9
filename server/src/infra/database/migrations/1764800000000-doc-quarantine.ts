import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored document updates that a document could not be loaded with (they hang, or break, Yjs):
 * moved out of the update log, kept with their author and time for the chair and the operator.
 */
export class DocQuarantine1764800000000 implements MigrationInterface {
  name = 'DocQuarantine1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE doc_quarantine (
        doc_id uuid NOT NULL,
        update_id bigint NOT NULL,
        update bytea NOT NULL,
        user_id uuid,
        created_at timestamptz NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        PRIMARY KEY (doc_id, update_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE doc_quarantine`);
  }
}
