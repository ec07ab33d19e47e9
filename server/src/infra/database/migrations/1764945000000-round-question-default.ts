import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A round's default question is stored as a key and its parameters, not as text in the chair's
 * language, so that every reader sees it in their own: `question` (the chair's own words) becomes
 * optional and `question_default` holds `{ key, params }`, exactly one of the two set. Rounds
 * whose question is, word for word, the default the client used to write (in either language)
 * become default ones; any other text stays the chair's.
 */
export class RoundQuestionDefault1764945000000 implements MigrationInterface {
  name = 'RoundQuestionDefault1764945000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vote_round ALTER COLUMN question DROP NOT NULL, ADD COLUMN question_default jsonb;
      UPDATE vote_round r
        SET question_default = jsonb_build_object('key', 'vote.defaultQuestion', 'params', jsonb_build_object('title', p.title, 'n', r.revision_number)),
            question = NULL
        FROM proposal p
        WHERE p.id = r.proposal_id AND r.question IN (
          '是否同意《' || p.title || '》第 ' || r.revision_number || ' 版？',
          'Do you agree to “' || p.title || '”, revision ' || r.revision_number || '?');
      ALTER TABLE vote_round ADD CONSTRAINT vote_round_one_question CHECK ((question IS NULL) <> (question_default IS NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vote_round DROP CONSTRAINT vote_round_one_question;
      UPDATE vote_round SET question = '是否同意《' || (question_default->'params'->>'title') || '》第 ' || (question_default->'params'->>'n') || ' 版？'
        WHERE question IS NULL;
      ALTER TABLE vote_round DROP COLUMN question_default, ALTER COLUMN question SET NOT NULL;
    `);
  }
}
