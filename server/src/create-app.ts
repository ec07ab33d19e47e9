import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './infra/config/app-config';
import { AllExceptionsFilter } from './infra/errors/all-exceptions.filter';
import { PinoNestLogger, requestLogger } from './infra/logging/logger';
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
  app.use(securityHeaders);
  app.use(express.json({ limit: `${config.BODY_LIMIT_KB}kb` }));
  app.use(express.raw({ type: ['text/csv', 'application/octet-stream'], limit: `${config.UPLOAD_LIMIT_KB}kb` }));
  app.enableCors({ origin: (origin, cb) => cb(null, !origin || config.allowedOrigins.includes(origin)), credentials: false });
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new AllExceptionsFilter(log));
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

  serveClient(app, config.clientDist);
  return app;
}

/** The built client, with every non-API path answered by index.html (the client routes itself). */
function serveClient(app: NestExpressApplication, dist: string): void {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return;
  app.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
}
