import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: public notices (公示) of an adopted proposal or a finished project, with an objection
 * period; objections and the chair's answers. A published notice's content never changes (a
 * trigger refuses it); only its withdrawal is written later. Also indexes the timeline reads.
 */
export class Notices1765600000000 implements MigrationInterface {
  name = 'Notices1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A project notice without a proposal has its own chain, keyed by the notice's id.
      ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_chain_id_fkey;

      CREATE TABLE notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        proposal_id uuid REFERENCES proposal(id),
        project_id uuid REFERENCES project(id),
        title text NOT NULL,
        note text NOT NULL DEFAULT '',
        -- The text and vote record as they were at publication (NoticeRecord).
        record jsonb NOT NULL,
        chain_id uuid NOT NULL,
        is_public boolean NOT NULL DEFAULT false,
        public_token text UNIQUE,
        published_by uuid NOT NULL REFERENCES app_user(id),
        published_at timestamptz NOT NULL DEFAULT now(),
        ends_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        withdrawn_by uuid REFERENCES app_user(id),
        withdraw_reason text,
        CHECK ((proposal_id IS NULL) <> (project_id IS NULL)),
        CHECK ((withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
        CHECK (is_public = (public_token IS NOT NULL))
      );
      CREATE INDEX notice_compound ON notice (compound_id, published_at DESC);
      -- One live notice per decision: publishing again needs the earlier one withdrawn.
      CREATE UNIQUE INDEX notice_one_live_proposal ON notice (proposal_id) WHERE withdrawn_at IS NULL AND proposal_id IS NOT NULL;
      CREATE UNIQUE INDEX notice_one_live_project ON notice (project_id) WHERE withdrawn_at IS NULL AND project_id IS NOT NULL;

      -- Published means final: only the withdrawal (once) and the end of the period (tests, by hand) may change.
      CREATE FUNCTION notice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (NEW.compound_id, NEW.proposal_id, NEW.project_id, NEW.title, NEW.note, NEW.record, NEW.chain_id,
              NEW.is_public, NEW.public_token, NEW.published_by, NEW.published_at)
             IS DISTINCT FROM
             (OLD.compound_id, OLD.proposal_id, OLD.project_id, OLD.title, OLD.note, OLD.record, OLD.chain_id,
              OLD.is_public, OLD.public_token, OLD.published_by, OLD.published_at)
             OR (OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at) THEN
            RAISE EXCEPTION 'a published notice cannot be edited';
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER notice_no_edit BEFORE UPDATE ON notice FOR EACH ROW EXECUTE FUNCTION notice_immutable();

      CREATE TABLE notice_objection (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
        body text NOT NULL CHECK (char_length(btrim(body)) BETWEEN 1 AND 2000),
        raised_by uuid NOT NULL REFERENCES app_user(id),
        raised_at timestamptz NOT NULL DEFAULT now(),
        audit_hash text NOT NULL,
        answer text CHECK (answer IS NULL OR char_length(btrim(answer)) BETWEEN 1 AND 2000),
        answered_by uuid REFERENCES app_user(id),
        answered_at timestamptz,
        answer_hash text,
        CHECK ((answer IS NULL) = (answered_at IS NULL))
      );
      CREATE INDEX notice_objection_notice ON notice_objection (notice_id, raised_at);
      CREATE INDEX notice_proposal ON notice (proposal_id, published_at) WHERE proposal_id IS NOT NULL;
      CREATE INDEX notice_project ON notice (project_id, published_at) WHERE project_id IS NOT NULL;

      -- The timeline of a proposal reads these by proposal.
      CREATE INDEX sign_off_proposal ON sign_off (proposal_id, signed_at);
      CREATE INDEX project_adopted_proposal ON project (adopted_proposal_id) WHERE adopted_proposal_id IS NOT NULL;
      CREATE INDEX comment_round ON comment (round_id) WHERE round_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX comment_round; DROP INDEX project_adopted_proposal; DROP INDEX sign_off_proposal;
      DROP TABLE notice_objection; DROP TABLE notice; DROP FUNCTION notice_immutable();
    `);
  }
}
