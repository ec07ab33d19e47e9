import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Resource, ResponsibilityZone } from './resource.entities';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** 资源清单: venues, teams, people, services and funds, internal or from partner units; and 责任田. */
@Module({
  imports: [TypeOrmModule.forFeature([Resource, ResponsibilityZone])],
  controllers: [ResourcesController],
  providers: [ResourcesService],
})
export class ResourcesModule {}
