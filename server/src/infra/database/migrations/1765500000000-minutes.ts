import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Minutes (会议纪要): one co-edited document per meeting (its Yjs log lives in doc_update under
 * the minutes' id, like a proposal's), the recorder the chair names, and what was frozen at
 * closing. The audit chain of closed minutes is keyed by the minutes' id, so a chain no longer
 * has to belong to a proposal.
 */
export class Minutes1765500000000 implements MigrationInterface {
  name = 'Minutes1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE minutes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL UNIQUE REFERENCES meeting(id) ON DELETE CASCADE,
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        recorder_id uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by uuid REFERENCES app_user(id),
        -- Frozen at closing: the Yjs state, its rendering, the automatic record (canonical JSON) and the hash over both.
        doc_state bytea,
        html text,
        text text,
        record text,
        hash text,
        CHECK ((closed_at IS NULL) = (hash IS NULL) AND (closed_at IS NULL) = (closed_by IS NULL))
      );
      ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_chain_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM audit_chain WHERE chain_id IN (SELECT id FROM minutes);
      DROP TABLE minutes;
      ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_chain_id_fkey FOREIGN KEY (chain_id) REFERENCES proposal(id) ON DELETE CASCADE;
    `);
  }
}
