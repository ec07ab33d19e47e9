import { Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createOrganisationSchema, type OrganisationView } from '@yishi/shared';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';

/** Organisations serve a whole community; they are listed with each of its compounds. */
@ApiTags('organisations')
@Controller('compounds/:compoundId/organisations')
export class OrganisationsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post()
  @Can('organisation.manage')
  async create(
    @Access() access: CompoundAccess,
    @ValidBody(createOrganisationSchema) body: z.output<typeof createOrganisationSchema>,
  ): Promise<OrganisationView> {
    const rows: OrganisationView[] = await this.db.query(
      `INSERT INTO organisation (community_id, kind, name, partner_type, contact)
       SELECT community_id, $2, $3, $4, $5 FROM compound WHERE id = $1
       ON CONFLICT (community_id, kind, name) DO NOTHING
       RETURNING id, kind, name, partner_type AS "partnerType"`,
      [access.compoundId, body.kind, body.name, body.kind === 'partner_unit' ? body.partnerType : null, body.contact ?? null],
    );
    const [created] = rows;
    if (!created) throw new AppError('CONFLICT', { message: 'an organisation of this kind and name exists' });
    return created;
  }
}
