import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organisation, OrganisationMember } from './organisation.entities';
import { OrganisationsController } from './organisations.controller';

/** Property companies, property-rights units, street departments and party branches. */
@Module({ imports: [TypeOrmModule.forFeature([Organisation, OrganisationMember])], controllers: [OrganisationsController] })
export class OrganisationsModule {}
