import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './infra/config/app-config';
import { AllExceptionsFilter } from './infra/errors/all-exceptions.filter';
import { Metrics } from './infra/metrics/metrics';
import { NodeLifecycle } from './infra/health/node-lifecycle';
import { serveClientAssets } from './infra/http/client-assets';
import { SafeInputInterceptor } from './infra/http/safe-input.interceptor';
import { securityHeaders } from './infra/http/security-headers';
import { PinoNestLogger, requestLogger } from './infra/logging/logger';
import { requestContext } from './infra/logging/request-context';
import { RealtimeIoAdapter } from './modules/realtime/realtime-io.adapter';

/**
 * Builds the whole server (API, OpenAPI docs, the built client) without listening, so that
 * main.ts and the tests start exactly the same application.
 */
export async function createApp(config: AppConfig, log: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, log), {
    bodyParser: false,
    logger: new PinoNestLogger(log),
  });
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  app.use(requestLogger(log));
  app.use(app.get(NodeLifecycle).countRequests);
  app.use(securityHeaders);
  app.use(express.json({ limit: `${config.BODY_LIMIT_KB}kb` }));
  app.use(express.raw({ type: ['text/csv', 'application/octet-stream'], limit: `${config.UPLOAD_LIMIT_KB}kb` }));
  app.use(requestContext);
  app.enableCors({ origin: (origin, cb) => cb(null, !origin || config.allowedOrigins.includes(origin)), credentials: false });
  // Prometheus looks for /metrics at the root.
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.useGlobalFilters(new AllExceptionsFilter(log, app.get(Metrics)));
  app.useGlobalInterceptors(new SafeInputInterceptor());
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config, log));

  const docs = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Yishi (议事) API')
      .setDescription('Errors: { error: { code, message, fields?, requestId } }')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, docs);

  serveClientAssets(app, config.clientDist);
  return app;
}
