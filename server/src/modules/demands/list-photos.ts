import { createHash, randomUUID } from 'node:crypto';
import { applyDecorators, HttpCode, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, MulterModule } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { MAX_PAPER_PHOTO_BYTES } from '@yishi/shared';
import { diskStorage } from 'multer';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { sendUploadedPhoto } from '../../infra/http/security-headers';
import { PaperUploadSlot, type StoredPhoto } from '../votes/paper-photos';

/**
 * The photos of the lists (a demand's, a project's progress note) have one shape: a downscaled
 * JPEG without metadata (PaperPhotos normalises it), its hash, who sent it. Each table adds
 * only the column of what it belongs to.
 */
export abstract class ListPhoto {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) contentType!: 'image/jpeg';
  @Column({ type: 'bytea' }) bytes!: Buffer;
  @Column({ type: 'text' }) sha256!: string;
  @Column({ type: 'integer' }) width!: number;
  @Column({ type: 'integer' }) height!: number;
  @Column({ type: 'integer' }) originalBytes!: number;
  @Column({ type: 'uuid' }) uploadedBy!: string;
  @Column({ type: 'timestamptz' }) uploadedAt!: Date;
}

/** A list's photo upload: one file, streamed to the upload folder, capped as paper-ballot photos are. */
export function listPhotoUploads(prefix: string) {
  return MulterModule.registerAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      storage: diskStorage({ destination: config.uploadDir, filename: (_req, _file, cb) => cb(null, `${prefix}-${randomUUID()}.upload`) }),
      limits: { fileSize: MAX_PAPER_PHOTO_BYTES, files: 1, fields: 0, parts: 1 },
    }),
  });
}

/**
 * A list's photo upload route: one multipart `photo` (JPEG, PNG or WebP), taken in one of the
 * node's upload slots, answered 200 with what it was added to.
 */
export function ListPhotoUpload(): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['photo'], properties: { photo: { type: 'string', format: 'binary' } } } }),
    UseInterceptors(PaperUploadSlot, FileInterceptor('photo')),
  );
}

/** The file such a route received; VALIDATION_FAILED when the request held none. */
export function uploadedListPhoto(photo: Express.Multer.File | undefined): { path: string; size: number } {
  if (!photo?.path) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'photo', message: 'a photo is required' }] });
  return { path: photo.path, size: photo.size };
}

/** Sends a stored photo: only this server's own JPEG encodings (infra/http/security-headers.ts). */
export function sendListPhoto(res: Response, bytes: Buffer): void {
  sendUploadedPhoto(res, bytes, 'photo');
}

/** Where a photo goes: the table and the column naming what it belongs to. */
const OWNERS = {
  demand: { table: 'demand_photo', column: 'demand_id' },
  projectUpdate: { table: 'project_update_photo', column: 'update_id' },
} as const;

/**
 * Stores a normalised photo of a demand or a progress note, inside the caller's transaction
 * (which holds the owner's lock). The same photo sent again (an offline entry retried) is kept
 * once; beyond `max` photos it is refused (TOO_MANY_PHOTOS).
 */
export async function storeListPhoto(
  m: EntityManager,
  owner: keyof typeof OWNERS,
  ownerId: string,
  photo: StoredPhoto,
  userId: string,
  max: number,
): Promise<void> {
  const { table, column } = OWNERS[owner];
  const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
  const [{ n, same }] = await m.query(`SELECT count(*)::int AS n, bool_or(sha256 = $2) AS same FROM ${table} WHERE ${column} = $1`, [
    ownerId,
    sha256,
  ]);
  if (same) return;
  if (n >= max) throw new AppError('TOO_MANY_PHOTOS');
  await m.query(
    `INSERT INTO ${table} (${column}, content_type, bytes, sha256, width, height, original_bytes, uploaded_by)
     VALUES ($1, 'image/jpeg', $2, $3, $4, $5, $6, $7)`,
    [ownerId, photo.bytes, sha256, photo.width, photo.height, photo.originalBytes, userId],
  );
}
