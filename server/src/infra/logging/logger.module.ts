import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';

/** Injection token of the pino logger. */
export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class LoggerModule {
  static forRoot(log: Logger): DynamicModule {
    return { module: LoggerModule, providers: [{ provide: LOGGER, useValue: log }], exports: [LOGGER] };
  }
}
