import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import type Sharp from 'sharp';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';

/** The longest edge of a stored photo: a signed A4 sheet stays legible at this size. */
const MAX_EDGE = 1600;
/** Decoding bombs: a photo with more pixels than this is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Uploads waiting for a slot (each costs only its paused socket); beyond that the node answers 503 at once. */
const MAX_WAITING = 500;

let sharpLoaded: Promise<typeof Sharp> | undefined;
/** sharp (libvips, about 6 MB resident) is loaded with the first photo, not when the node starts. */
function loadSharp(): Promise<typeof Sharp> {
  return (sharpLoaded ??= import('sharp').then(({ default: sharp }) => {
    // libvips keeps a cache of recent operations and their pixels: useless here (every photo is
    // new) and the main reason a burst of uploads would leave the process large.
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  }));
}

/** A photo as stored: a JPEG without any metadata (no GPS position, no camera, no date). */
export interface StoredPhoto {
  bytes: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  originalBytes: number;
}

/**
 * Photos of paper ballots. An upload is streamed to a file under the upload folder (multer's
 * disk storage, capped at MAX_PAPER_PHOTO_BYTES), never held in memory whole; a node takes at
 * most PAPER_UPLOADS_CONCURRENT of them at once and queues the rest, so a burst of 200 phones
 * costs disk for a moment, not memory. The file is then decoded from disk, turned upright,
 * downscaled to at most 1600 px and re-encoded as a JPEG without metadata (about 100–400 kB),
 * which is what the database keeps; the uploaded file is removed whatever happens.
 */
@Injectable()
export class PaperPhotos {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  readonly dir: string;
  private readonly max: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.uploadDir;
    this.max = config.PAPER_UPLOADS_CONCURRENT;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Waits for an upload slot; the returned function gives it back (once). */
  async slot(): Promise<() => void> {
    if (this.active >= this.max) {
      if (this.waiting.length >= MAX_WAITING) throw new AppError('UPLOADS_BUSY');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** Reads the uploaded file, checks it is a photo, and returns it normalised. */
  async normalise(path: string, originalBytes: number): Promise<StoredPhoto> {
    const notAPhoto = () =>
      new AppError('VALIDATION_FAILED', { fields: [{ path: 'photo', message: 'must be a JPEG, PNG or WebP photo' }] });
    const sharp = await loadSharp();
    let format: string | undefined;
    try {
      format = (await sharp(path, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
    } catch {
      throw notAPhoto();
    }
    if (format !== 'jpeg' && format !== 'png' && format !== 'webp') throw notAPhoto();
    try {
      const { data, info } = await sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      return { bytes: data, contentType: 'image/jpeg', width: info.width, height: info.height, originalBytes };
    } catch {
      throw notAPhoto();
    }
  }

  /** Removes an uploaded file; a file already gone is fine. */
  async discard(path: string | undefined): Promise<void> {
    if (path) await unlink(path).catch(() => undefined);
  }
}

/**
 * Put before the file interceptor: the request's body is not read until the node has a free
 * upload slot (the bytes wait in the socket meanwhile), and the slot and the uploaded file are
 * released when the request ends, answered or not.
 */
@Injectable()
export class PaperUploadSlot implements NestInterceptor {
  constructor(private readonly photos: PaperPhotos) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const release = await this.photos.slot();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const done = () => {
      release();
      void this.photos.discard(req.file?.path);
    };
    res.once('close', done);
    return next.handle().pipe(finalize(done));
  }
}
