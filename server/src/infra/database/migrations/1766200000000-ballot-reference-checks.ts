import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the references of the rows written once per cast (audit entries, casts, counted
 * ballots) are checked once per statement instead of once per row.
 *
 * A foreign key runs one query per written row. The ballot batch writes three rows per cast with
 * eight foreign keys among them, and `auto_explain` showed those checks taking about three
 * quarters of the batch's one write statement (40 of 55 ms for 378 casts). That statement is the
 * serial part of a round: every node's batches wait for it. The triggers below keep what the
 * foreign keys guaranteed, with one query per referenced table and statement:
 * - writing: every row must name an existing chain, round, household and users, and the rows
 *   it names are locked FOR KEY SHARE, as a foreign key does, so that a concurrent delete waits
 *   for the writer and then sees the new reference. An update checks only the references it
 *   changes, as a foreign key does.
 * - deleting: a round or a chain takes its ballots, casts or entries with it (they were ON DELETE
 *   CASCADE), and a household or user that a ballot names cannot be deleted (NO ACTION).
 * The paper references stay foreign keys: they are null for online casts, which a foreign key
 * passes without a query. `ballot-reference-checks.spec.ts` tries each of these.
 */
export class BallotReferenceChecks1766200000000 implements MigrationInterface {
  name = 'BallotReferenceChecks1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_chain_id_fkey;
      ALTER TABLE ballot_cast DROP CONSTRAINT ballot_cast_round_id_fkey;
      ALTER TABLE ballot DROP CONSTRAINT ballot_round_id_fkey, DROP CONSTRAINT ballot_household_id_fkey,
        DROP CONSTRAINT ballot_voter_user_id_fkey, DROP CONSTRAINT ballot_recorded_by_fkey;

      -- Locks the rows of table tbl whose column key is one of ids (distinct), as a foreign key would,
      -- or fails when one of them does not exist.
      CREATE FUNCTION lock_referenced(tbl regclass, key text, ids uuid[], what text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE n int;
      BEGIN
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s WHERE %I = ANY($1) FOR KEY SHARE) locked', tbl, key) INTO n USING ids;
        IF n < coalesce(cardinality(ids), 0) THEN
          RAISE EXCEPTION '% names a row of % that does not exist', what, tbl USING ERRCODE = 'foreign_key_violation';
        END IF;
      END $$;

      CREATE FUNCTION audit_entry_references() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM lock_referenced('audit_chain', 'chain_id', (SELECT array_agg(DISTINCT chain_id) FROM new_rows), 'an audit entry');
        RETURN NULL;
      END $$;
      -- Entries are never updated (audit_entry_no_update): inserts are all there is to check.
      CREATE TRIGGER audit_entry_references AFTER INSERT ON audit_entry
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_references();

      CREATE FUNCTION ballot_cast_references() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE rounds uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT round_id) INTO rounds FROM new_rows;
        ELSE
          SELECT array_agg(DISTINCT round_id) INTO rounds FROM (SELECT round_id FROM new_rows EXCEPT SELECT round_id FROM old_rows) c;
        END IF;
        PERFORM lock_referenced('vote_round', 'id', rounds, 'a cast');
        RETURN NULL;
      END $$;
      CREATE TRIGGER ballot_cast_references_on_insert AFTER INSERT ON ballot_cast
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ballot_cast_references();
      CREATE TRIGGER ballot_cast_references_on_update AFTER UPDATE ON ballot_cast
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ballot_cast_references();

      CREATE FUNCTION ballot_references() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        rounds uuid[];
        households uuid[];
        users uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT round_id), array_agg(DISTINCT household_id) INTO rounds, households FROM new_rows;
          SELECT array_agg(DISTINCT u) INTO users FROM (SELECT voter_user_id FROM new_rows UNION SELECT recorded_by FROM new_rows) x(u);
        ELSE
          SELECT array_agg(DISTINCT round_id), array_agg(DISTINCT household_id) INTO rounds, households
            FROM (SELECT round_id, household_id FROM new_rows EXCEPT SELECT round_id, household_id FROM old_rows) c;
          SELECT array_agg(DISTINCT u) INTO users
            FROM ((SELECT voter_user_id FROM new_rows UNION SELECT recorded_by FROM new_rows)
                  EXCEPT (SELECT voter_user_id FROM old_rows UNION SELECT recorded_by FROM old_rows)) x(u);
        END IF;
        users := array_remove(users, NULL);
        PERFORM lock_referenced('vote_round', 'id', rounds, 'a ballot');
        PERFORM lock_referenced('household', 'id', households, 'a ballot');
        PERFORM lock_referenced('app_user', 'id', users, 'a ballot');
        RETURN NULL;
      END $$;
      CREATE TRIGGER ballot_references_on_insert AFTER INSERT ON ballot
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ballot_references();
      CREATE TRIGGER ballot_references_on_update AFTER UPDATE ON ballot
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ballot_references();

      CREATE FUNCTION vote_round_takes_ballots() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM ballot WHERE round_id = OLD.id;
        DELETE FROM ballot_cast WHERE round_id = OLD.id;
        RETURN OLD;
      END $$;
      CREATE TRIGGER vote_round_takes_ballots BEFORE DELETE ON vote_round FOR EACH ROW EXECUTE FUNCTION vote_round_takes_ballots();

      CREATE FUNCTION audit_chain_takes_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM audit_entry WHERE chain_id = OLD.chain_id;
        RETURN OLD;
      END $$;
      CREATE TRIGGER audit_chain_takes_entries BEFORE DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_chain_takes_entries();

      -- Checked after the row is gone, at the end of the statement, as NO ACTION is: a delete that
      -- also removes the ballots naming it (a cascade from above) passes.
      CREATE FUNCTION household_kept_for_ballots() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ballot WHERE household_id = OLD.id) THEN
          RAISE EXCEPTION 'household % has ballots and cannot be deleted', OLD.id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER household_kept_for_ballots AFTER DELETE ON household FOR EACH ROW EXECUTE FUNCTION household_kept_for_ballots();

      CREATE FUNCTION user_kept_for_ballots() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ballot WHERE voter_user_id = OLD.id OR recorded_by = OLD.id) THEN
          RAISE EXCEPTION 'user % is named on ballots and cannot be deleted', OLD.id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER user_kept_for_ballots AFTER DELETE ON app_user FOR EACH ROW EXECUTE FUNCTION user_kept_for_ballots();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER user_kept_for_ballots ON app_user;
      DROP TRIGGER household_kept_for_ballots ON household;
      DROP TRIGGER audit_chain_takes_entries ON audit_chain;
      DROP TRIGGER vote_round_takes_ballots ON vote_round;
      DROP TRIGGER ballot_references_on_update ON ballot;
      DROP TRIGGER ballot_references_on_insert ON ballot;
      DROP TRIGGER ballot_cast_references_on_update ON ballot_cast;
      DROP TRIGGER ballot_cast_references_on_insert ON ballot_cast;
      DROP TRIGGER audit_entry_references ON audit_entry;
      DROP FUNCTION user_kept_for_ballots(), household_kept_for_ballots(), audit_chain_takes_entries(), vote_round_takes_ballots(),
        ballot_references(), ballot_cast_references(), audit_entry_references(), lock_referenced(regclass, text, uuid[], text);
      ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_chain_id_fkey FOREIGN KEY (chain_id) REFERENCES audit_chain(chain_id) ON DELETE CASCADE;
      ALTER TABLE ballot_cast ADD CONSTRAINT ballot_cast_round_id_fkey FOREIGN KEY (round_id) REFERENCES vote_round(id) ON DELETE CASCADE;
      ALTER TABLE ballot
        ADD CONSTRAINT ballot_round_id_fkey FOREIGN KEY (round_id) REFERENCES vote_round(id) ON DELETE CASCADE,
        ADD CONSTRAINT ballot_household_id_fkey FOREIGN KEY (household_id) REFERENCES household(id),
        ADD CONSTRAINT ballot_voter_user_id_fkey FOREIGN KEY (voter_user_id) REFERENCES app_user(id),
        ADD CONSTRAINT ballot_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES app_user(id);
    `);
  }
}
