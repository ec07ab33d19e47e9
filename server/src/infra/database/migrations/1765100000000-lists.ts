import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: the three lists (demands, resources, projects) and whistles to departments.
 * Organisations may now be partner units (共建单位) of any kind, named by a free label.
 * Chinese substring search uses an array of the text's characters and character pairs with a
 * GIN index: it needs no extension (pg_trgm drops CJK characters in some locales and cannot
 * narrow a two-character query, the most common Chinese search), so it works the same on the
 * embedded PostgreSQL and on any server given by DATABASE_URL.
 */
// The allowed values as they were when this migration was written (shared/src/protocol/lists.protocol.ts
// holds the living lists; a later change to them is a later migration).
const DEMAND_CATEGORIES = [
  'environment',
  'infrastructure',
  'safety',
  'parking',
  'elderly_care',
  'greening',
  'property_service',
  'neighbourhood',
  'other',
];
const DEMAND_CHANNELS = ['home_visit', 'hotline_12345', 'forum', 'meeting', 'online'];
const DEMAND_STATUSES = ['new', 'handled_in_community', 'to_escalate', 'in_deliberation', 'became_project', 'done', 'declined'];
const RESOURCE_KINDS = ['venue', 'team', 'person', 'service', 'fund'];
const RESOURCE_AVAILABILITIES = ['provide', 'borrow', 'share'];
const PROJECT_STATUSES = ['active', 'done', 'stopped'];
const WHISTLE_STATUSES = ['open', 'accepted', 'answered', 'resolved'];
const WHISTLE_EVENT_KINDS = ['raised', 'accepted', 'answered', 'resolved', 'reopened', 'noted'];
const sqlList = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export class Lists1765100000000 implements MigrationInterface {
  name = 'Lists1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
      ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
        CHECK (kind IN ('property_company', 'property_rights_unit', 'street_department', 'party_branch', 'partner_unit'));
      -- What a partner unit is, in the community's words (社区卫生服务中心, 辖区企业, 区房管局…).
      ALTER TABLE organisation ADD COLUMN partner_type text;
      ALTER TABLE organisation ADD COLUMN contact text;
      ALTER TABLE organisation ADD CONSTRAINT organisation_partner_type
        CHECK (kind <> 'partner_unit' OR length(btrim(coalesce(partner_type, ''))) > 0);

      -- Lower-cased characters and adjacent pairs of a text, spaces and ASCII punctuation left out.
      -- A query's pairs (or its one character) are contained in the grams of any text that has it
      -- as a substring, so "grams @> lists_query_grams(q)" narrows and a substring test then decides.
      -- PL/pgSQL: a loop is some forty times faster here than the same in set-returning SQL.
      CREATE FUNCTION lists_grams(t text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        s text := regexp_replace(lower(t), '[[:space:][:punct:]]+', '', 'g');
        n int := length(s);
        grams text[] := '{}';
      BEGIN
        FOR i IN 1..n LOOP
          grams := grams || substr(s, i, 1);
          IF i < n THEN grams := grams || substr(s, i, 2); END IF;
        END LOOP;
        RETURN grams;
      END $$;
      CREATE FUNCTION lists_query_grams(t text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        s text := regexp_replace(lower(t), '[[:space:][:punct:]]+', '', 'g');
        grams text[] := '{}';
      BEGIN
        IF length(s) <= 1 THEN RETURN ARRAY[s]; END IF;
        FOR i IN 1..length(s) - 1 LOOP grams := grams || substr(s, i, 2); END LOOP;
        RETURN grams;
      END $$;

      -- (A CHECK whose expression is NULL passes: hence the coalesce around optional texts.)
      CREATE TABLE demand (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        scope text NOT NULL DEFAULT 'compound' CHECK (scope IN ('compound', 'community')),
        building_id uuid REFERENCES building(id),
        gate_id uuid REFERENCES building_gate(id),
        category text NOT NULL CHECK (category IN (${sqlList(DEMAND_CATEGORIES)})),
        channel text NOT NULL CHECK (channel IN (${sqlList(DEMAND_CHANNELS)})),
        title text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 100),
        body text NOT NULL DEFAULT '' CHECK (char_length(body) <= 2000),
        -- The resident who raised it when they have an account; null for one a gate leader
        -- heard from someone without one (raised_by_name, or nobody named).
        raised_by uuid REFERENCES app_user(id),
        raised_by_name text CHECK (raised_by_name IS NULL OR char_length(btrim(raised_by_name)) BETWEEN 1 AND 40),
        household_id uuid REFERENCES household(id),
        -- Who typed it in: the resident themself, or a gate leader or the chair on their behalf.
        entered_by uuid NOT NULL REFERENCES app_user(id),
        -- The person agreed to be named to other residents.
        named_consent boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'new' CHECK (status IN (${sqlList(DEMAND_STATUSES)})),
        decline_reason text,
        -- Chosen by the sending device: an offline entry sent twice is recorded once.
        client_key uuid,
        seconds integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
        search_grams text[] GENERATED ALWAYS AS (lists_grams(title || ' ' || body)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (scope = 'compound' OR building_id IS NULL),
        CHECK (gate_id IS NULL OR building_id IS NOT NULL),
        CHECK (status <> 'declined' OR char_length(btrim(coalesce(decline_reason, ''))) > 0),
        UNIQUE (entered_by, client_key)
      );
      CREATE INDEX demand_list ON demand (compound_id, status, created_at DESC, id DESC);
      CREATE INDEX demand_recent ON demand (compound_id, created_at DESC, id DESC);
      CREATE INDEX demand_category ON demand (compound_id, category, created_at DESC, id DESC);
      CREATE INDEX demand_channel ON demand (compound_id, channel, created_at DESC, id DESC);
      CREATE INDEX demand_building ON demand (compound_id, building_id, created_at DESC, id DESC);
      CREATE INDEX demand_seconded ON demand (compound_id, seconds DESC, created_at DESC, id DESC);
      CREATE INDEX demand_search ON demand USING gin (search_grams);

      CREATE TABLE demand_status_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        demand_id uuid NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        -- null for the recording of the demand itself.
        from_status text CHECK (from_status IN (${sqlList(DEMAND_STATUSES)})),
        to_status text NOT NULL CHECK (to_status IN (${sqlList(DEMAND_STATUSES)})),
        note text,
        changed_by uuid NOT NULL REFERENCES app_user(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        CHECK (from_status IS DISTINCT FROM to_status)
      );
      CREATE INDEX demand_status_change_demand ON demand_status_change (demand_id, changed_at);

      -- 附议: one per person and demand.
      CREATE TABLE demand_second (
        demand_id uuid NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        named_consent boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (demand_id, user_id)
      );
      CREATE INDEX demand_second_user ON demand_second (user_id);

      -- Photos as paper-ballot photos are kept: a downscaled JPEG without metadata.
      CREATE TABLE demand_photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        demand_id uuid NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        content_type text NOT NULL CHECK (content_type = 'image/jpeg'),
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        original_bytes integer NOT NULL CHECK (original_bytes > 0),
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX demand_photo_demand ON demand_photo (demand_id);

      CREATE TABLE resource (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN (${sqlList(RESOURCE_KINDS)})),
        name text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
        -- null: the compound's own (internal); otherwise the partner unit that offers it.
        organisation_id uuid REFERENCES organisation(id),
        -- Funds only: the amount, in fen, and where it comes from (党组织服务群众经费…).
        amount_fen bigint CHECK (amount_fen >= 0),
        source text,
        availability text NOT NULL CHECK (availability IN (${sqlList(RESOURCE_AVAILABILITIES)})),
        -- People only: their account, when they have one.
        user_id uuid REFERENCES app_user(id),
        contact text,
        notes text NOT NULL DEFAULT '',
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        CHECK ((kind = 'fund') = (amount_fen IS NOT NULL)),
        CHECK (kind = 'person' OR user_id IS NULL)
      );
      CREATE INDEX resource_list ON resource (compound_id, kind, name);
      CREATE INDEX resource_organisation ON resource (organisation_id);

      -- 责任田: the compound's spaces divided among teams.
      CREATE TABLE responsibility_zone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        space_name text NOT NULL CHECK (char_length(btrim(space_name)) BETWEEN 1 AND 100),
        team_resource_id uuid NOT NULL REFERENCES resource(id),
        notes text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (compound_id, space_name)
      );
      CREATE INDEX responsibility_zone_team ON responsibility_zone (team_resource_id);

      CREATE TABLE project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 100),
        summary text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 4000),
        status text NOT NULL DEFAULT 'active' CHECK (status IN (${sqlList(PROJECT_STATUSES)})),
        stop_reason text,
        owner_id uuid REFERENCES app_user(id),
        adopted_proposal_id uuid REFERENCES proposal(id),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK (status <> 'stopped' OR char_length(btrim(coalesce(stop_reason, ''))) > 0),
        CHECK ((status = 'active') = (ended_at IS NULL))
      );
      CREATE INDEX project_list ON project (compound_id, status, created_at DESC);

      CREATE TABLE project_meeting (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        meeting_id uuid NOT NULL REFERENCES meeting(id),
        PRIMARY KEY (project_id, meeting_id)
      );
      CREATE INDEX project_meeting_meeting ON project_meeting (meeting_id);

      CREATE TABLE project_demand (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        demand_id uuid NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        PRIMARY KEY (project_id, demand_id)
      );
      CREATE INDEX project_demand_demand ON project_demand (demand_id);

      CREATE TABLE project_resource (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        resource_id uuid NOT NULL REFERENCES resource(id),
        note text NOT NULL DEFAULT '',
        PRIMARY KEY (project_id, resource_id)
      );
      CREATE INDEX project_resource_resource ON project_resource (resource_id);

      CREATE TABLE project_milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 100),
        due_on date NOT NULL,
        done_at timestamptz,
        sort integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_milestone_project ON project_milestone (project_id, due_on);

      CREATE TABLE project_update (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        note text NOT NULL CHECK (char_length(btrim(note)) BETWEEN 1 AND 2000),
        author_id uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_update_project ON project_update (project_id, created_at);

      CREATE TABLE project_update_photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        update_id uuid NOT NULL REFERENCES project_update(id) ON DELETE CASCADE,
        content_type text NOT NULL CHECK (content_type = 'image/jpeg'),
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        original_bytes integer NOT NULL CHECK (original_bytes > 0),
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_update_photo_update ON project_update_photo (update_id);

      -- Residents' satisfaction check of a finished project: one answer per person.
      CREATE TABLE project_acceptance (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        satisfied boolean NOT NULL,
        comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      );

      -- 吹哨: a demand or a project's blocker escalated to departments or partner units.
      CREATE TABLE whistle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        demand_id uuid REFERENCES demand(id),
        project_id uuid REFERENCES project(id),
        question text NOT NULL CHECK (char_length(btrim(question)) BETWEEN 1 AND 2000),
        deadline timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN (${sqlList(WHISTLE_STATUSES)})),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CHECK (num_nonnulls(demand_id, project_id) = 1),
        CHECK (deadline > created_at),
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
      );
      CREATE INDEX whistle_list ON whistle (compound_id, status, deadline);
      CREATE INDEX whistle_demand ON whistle (demand_id);
      CREATE INDEX whistle_project ON whistle (project_id);

      CREATE TABLE whistle_target (
        whistle_id uuid NOT NULL REFERENCES whistle(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        accepted_at timestamptz,
        accepted_by uuid REFERENCES app_user(id),
        answered_at timestamptz,
        answered_by uuid REFERENCES app_user(id),
        answer text,
        PRIMARY KEY (whistle_id, organisation_id),
        CHECK ((accepted_at IS NULL) = (accepted_by IS NULL)),
        CHECK ((answered_at IS NULL) = (answered_by IS NULL)),
        CHECK (answered_at IS NULL OR (accepted_at IS NOT NULL AND char_length(btrim(coalesce(answer, ''))) > 0))
      );
      -- A department's queue.
      CREATE INDEX whistle_target_queue ON whistle_target (organisation_id, answered_at);

      CREATE TABLE whistle_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        whistle_id uuid NOT NULL REFERENCES whistle(id) ON DELETE CASCADE,
        organisation_id uuid REFERENCES organisation(id),
        kind text NOT NULL CHECK (kind IN (${sqlList(WHISTLE_EVENT_KINDS)})),
        note text,
        actor_id uuid NOT NULL REFERENCES app_user(id),
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX whistle_event_whistle ON whistle_event (whistle_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE whistle_event; DROP TABLE whistle_target; DROP TABLE whistle;
      DROP TABLE project_acceptance; DROP TABLE project_update_photo; DROP TABLE project_update;
      DROP TABLE project_milestone; DROP TABLE project_resource; DROP TABLE project_demand;
      DROP TABLE project_meeting; DROP TABLE project;
      DROP TABLE responsibility_zone; DROP TABLE resource;
      DROP TABLE demand_photo; DROP TABLE demand_second; DROP TABLE demand_status_change; DROP TABLE demand;
      DROP FUNCTION lists_query_grams(text); DROP FUNCTION lists_grams(text);
      DELETE FROM organisation WHERE kind = 'partner_unit';
      ALTER TABLE organisation DROP CONSTRAINT organisation_partner_type;
      ALTER TABLE organisation DROP COLUMN contact, DROP COLUMN partner_type;
      ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
      ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
        CHECK (kind IN ('property_company', 'property_rights_unit', 'street_department', 'party_branch'));
    `);
  }
}
