import { Module } from '@nestjs/common';
import { WhistlesController } from './whistles.controller';
import { WhistlesService } from './whistles.service';

/** 吹哨, 报到: whistles on demands and projects' blockers to departments and partner units. */
@Module({ controllers: [WhistlesController], providers: [WhistlesService] })
export class WhistlesModule {}
