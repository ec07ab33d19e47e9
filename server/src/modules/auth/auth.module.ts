import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { MembershipsModule } from '../memberships/memberships.module';
import { User } from '../users/user.entity';
import { AccessService } from './access.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Session } from './session.entity';

/** Accounts, sessions and tokens. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
    // Accounts are auth's: users/ holds the entity, which several modules read.
    TypeOrmModule.forFeature([User, Session]),
    MembershipsModule,
  ],
  controllers: [AuthController],
  providers: [AuthService, AccessService],
  exports: [AccessService, AuthService],
})
export class AuthModule {}
