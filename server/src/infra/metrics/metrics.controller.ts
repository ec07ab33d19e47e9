import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList } from 'node:net';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { Public } from '../http/route-access';
import { Metrics } from './metrics';

/** Loopback, private (RFC 1918, unique local) and link-local addresses: a scraper inside the deployment. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.includes('.') ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(ip, 'ipv6');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus scrapes this at /metrics (outside /api, where scrapers look by default). Public to
 * the AccessGuard, since a scraper is no user; guarded here instead: with METRICS_TOKEN set, only
 * a request bearing it; without, only from a loopback or private address (req.ip, so behind a
 * proxy TRUST_PROXY must be set, or the proxy must not forward /metrics).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    if (token) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(given), digest(token))) throw new AppError('UNAUTHENTICATED');
    } else if (!isPrivateAddress(req.ip)) {
      throw new AppError('FORBIDDEN', { message: 'metrics are served to private addresses or with METRICS_TOKEN' });
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.registry.metrics();
  }
}
