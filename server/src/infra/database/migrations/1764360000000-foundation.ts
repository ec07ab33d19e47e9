import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Communities, compounds, the owner register, accounts, organisations, memberships, invitations. */
export class Foundation1764360000000 implements MigrationInterface {
  name = 'Foundation1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text UNIQUE,
        phone text UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (username IS NOT NULL OR phone IS NOT NULL)
      );
      CREATE UNIQUE INDEX app_user_username_lower ON app_user (lower(username));

      CREATE TABLE session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        refresh_token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX session_by_user ON session (user_id);

      CREATE TABLE community (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        street text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE compound (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        community_id uuid NOT NULL REFERENCES community(id),
        name text NOT NULL,
        address text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (community_id, name)
      );

      CREATE TABLE building (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        name text NOT NULL,
        sort integer NOT NULL DEFAULT 0,
        UNIQUE (compound_id, name)
      );

      CREATE TABLE building_gate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        building_id uuid NOT NULL REFERENCES building(id) ON DELETE CASCADE,
        name text NOT NULL,
        sort integer NOT NULL DEFAULT 0,
        UNIQUE (building_id, name)
      );

      CREATE TABLE household (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        building_id uuid NOT NULL REFERENCES building(id),
        gate_id uuid REFERENCES building_gate(id),
        unit text NOT NULL,
        area_centi_m2 integer NOT NULL CHECK (area_centi_m2 >= 0),
        developer_held boolean NOT NULL DEFAULT false,
        voter_user_id uuid REFERENCES app_user(id),
        proxy_user_id uuid REFERENCES app_user(id),
        proxy_note text,
        proxy_registered_by uuid REFERENCES app_user(id),
        proxy_registered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (building_id, unit)
      );
      CREATE INDEX household_compound ON household (compound_id);

      CREATE TABLE owner (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        name text NOT NULL,
        phone text,
        user_id uuid REFERENCES app_user(id),
        UNIQUE (compound_id, phone)
      );

      CREATE TABLE household_owner (
        household_id uuid NOT NULL REFERENCES household(id) ON DELETE CASCADE,
        owner_id uuid NOT NULL REFERENCES owner(id) ON DELETE CASCADE,
        PRIMARY KEY (household_id, owner_id)
      );
      CREATE INDEX household_owner_owner ON household_owner (owner_id);

      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        community_id uuid NOT NULL REFERENCES community(id),
        kind text NOT NULL CHECK (kind IN ('property_company', 'property_rights_unit', 'street_department', 'party_branch')),
        name text NOT NULL,
        UNIQUE (community_id, kind, name)
      );

      CREATE TABLE organisation_member (
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        PRIMARY KEY (organisation_id, user_id)
      );

      CREATE TABLE membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department', 'observer')),
        household_id uuid REFERENCES household(id),
        gate_id uuid REFERENCES building_gate(id),
        organisation_id uuid REFERENCES organisation(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role NOT IN ('resident', 'gate_leader') OR household_id IS NOT NULL),
        CHECK (role NOT IN ('property_company', 'property_rights_unit', 'street_department') OR organisation_id IS NOT NULL)
      );
      -- One role per user per compound, except that an owner of several units is a resident of each.
      CREATE UNIQUE INDEX membership_unique ON membership (user_id, compound_id, role, coalesce(household_id, '00000000-0000-0000-0000-000000000000'));
      CREATE INDEX membership_compound ON membership (compound_id);

      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        compound_id uuid NOT NULL REFERENCES compound(id) ON DELETE CASCADE,
        role text NOT NULL,
        household_id uuid REFERENCES household(id),
        gate_id uuid REFERENCES building_gate(id),
        organisation_id uuid REFERENCES organisation(id),
        designated_voter boolean NOT NULL DEFAULT false,
        expires_at timestamptz NOT NULL,
        max_uses integer NOT NULL CHECK (max_uses > 0),
        uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
        revoked_at timestamptz,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invitation_compound ON invitation (compound_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE invitation; DROP TABLE membership; DROP TABLE organisation_member; DROP TABLE organisation;
      DROP TABLE household_owner; DROP TABLE owner; DROP TABLE household; DROP TABLE building_gate;
      DROP TABLE building; DROP TABLE compound; DROP TABLE community; DROP TABLE session; DROP TABLE app_user;
    `);
  }
}
