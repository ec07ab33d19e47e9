import { Module } from '@nestjs/common';
import { OrganisationsController } from './organisations.controller';

/** Property companies, property-rights units, street departments and party branches. */
@Module({ controllers: [OrganisationsController] })
export class OrganisationsModule {}
