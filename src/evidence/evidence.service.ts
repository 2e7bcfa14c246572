import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request } from 'express';
import { unlink } from 'node:fs/promises';
import { DataSource, EntityManager } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { pageOf } from 'src/common/pagination.dto';
import { createValidationPipe } from 'src/common/validation';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { EvidenceQueryDto, ReviewDto, UploadEvidenceDto } from 'src/evidence/evidence.dto';
import { EvidenceRepository, EvidenceRow } from 'src/evidence/evidence.repository';
import { EvidenceStoreService } from 'src/evidence/evidence-store.service';
import { EVIDENCE_STORAGE, type EvidenceStorage } from 'src/evidence/storage/evidence-storage';
import { receiveUpload } from 'src/evidence/upload/receive-upload';
import { uploadTempDir } from 'src/evidence/upload/temp-files';
import { sanitizeFilename, sniffMediaType } from 'src/evidence/upload/sniff';
import { ReadinessService } from 'src/readiness/readiness.service';

const snapshot = (e: Pick<EvidenceRow, 'title' | 'originalFilename' | 'sha256' | 'size' | 'mediaType' | 'validUntil'>) => ({
  title: e.title,
  originalFilename: e.originalFilename,
  sha256: e.sha256,
  size: e.size,
  mediaType: e.mediaType,
  validUntil: e.validUntil,
});

@Injectable()
export class EvidenceService {
  private readonly fieldsPipe = createValidationPipe();

  constructor(
    private readonly repo: EvidenceRepository,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
    private readonly store: EvidenceStoreService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Streams the upload to a temporary file while hashing it, sniffs its type, stores the bytes under their hash,
   * then writes the record, its links and the audit event in one transaction. Bytes are stored before the row and
   * held against the sweep until the row commits (EvidenceStoreService), so no interleaving with a sweep or a crash
   * leaves a row without bytes; a failure can leave only an unreferenced object, which the sweep removes later.
   */
  async upload(auth: AuthContext, clientId: string, req: Request) {
    const { fields, file } = await receiveUpload(req, { maxBytes: this.config.uploadMaxBytes, tmpDir: uploadTempDir(this.config.dataDir) });
    try {
      const dto = await this.validateFields(fields);
      const mediaType = await sniffMediaType(file.head);
      const today = this.readiness.today();
      const effectiveDate = dto.effectiveDate ?? today;
      if (dto.validUntil && dto.validUntil < effectiveDate) throw new BadRequestException('validUntil must not be before effectiveDate');
      const held = await this.store.hold(file.sha256, file.tempPath, file.size);
      let id: string;
      try {
        id = await this.dataSource.transaction(async (tx) => {
          await this.store.confirm(tx, held);
          const controlIds = await this.requireControls(tx, clientId, dto.controlIds ?? []);
          const row = {
            clientId,
            title: dto.title,
            description: dto.description ?? null,
            originalFilename: sanitizeFilename(file.filename),
            mediaType,
            size: file.size,
            sha256: file.sha256,
            uploadedBy: auth.userId,
            effectiveDate,
            validUntil: dto.validUntil ?? null,
          };
          const evidenceId = await this.repo.insert(tx, row);
          await this.repo.insertLinks(tx, evidenceId, controlIds, auth.userId);
          await this.audit.record(tx, {
            actorUserId: auth.userId,
            clientId,
            action: 'evidence.upload',
            entityType: 'evidence',
            entityId: evidenceId,
            after: { ...snapshot(row), controlIds },
          });
          return evidenceId;
        });
      } catch (e) {
        await this.store.release(held);
        throw e;
      }
      return this.get(clientId, id);
    } finally {
      await unlink(file.tempPath).catch(() => undefined);
    }
  }

  async list(clientId: string, q: EvidenceQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [rows, total] = await this.repo.findPage(clientId, q, this.readiness.today(), offset, pageSize);
    const links = await this.repo.findLinks(rows.map((r) => r.id));
    return { items: rows.map((r) => ({ ...this.toResponse(r), links: links.get(r.id) ?? [] })), total, page, pageSize };
  }

  async get(clientId: string, evidenceId: string) {
    const row = await this.requireEvidence(clientId, evidenceId);
    const [links, suggestions] = await Promise.all([this.repo.findLinks([evidenceId]), this.repo.findSuggestions(clientId, evidenceId)]);
    return { ...this.toResponse(row), links: links.get(evidenceId) ?? [], suggestions };
  }

  /** The record, and a way to open its bytes (optionally a range), for download. */
  async content(clientId: string, evidenceId: string) {
    const row = await this.requireEvidence(clientId, evidenceId);
    return { row, open: (range?: { start: number; end: number }) => this.storage.read(row.sha256, range) };
  }

  /** Links to controls of the same client; suggestions from the mappings are accepted the same way. */
  async link(auth: AuthContext, clientId: string, evidenceId: string, controlIds: string[]) {
    await this.dataSource.transaction(async (tx) => {
      await this.lockEvidence(tx, clientId, evidenceId);
      const ids = await this.requireControls(tx, clientId, controlIds);
      const before = await this.repo.findLinkedControlIds(tx, evidenceId);
      const added = await this.repo.insertLinks(tx, evidenceId, ids, auth.userId);
      if (added.length) {
        const after = await this.repo.findLinkedControlIds(tx, evidenceId);
        await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'evidence.link', entityType: 'evidence', entityId: evidenceId, before: { linked: before }, after: { linked: after } });
      }
    });
    return this.get(clientId, evidenceId);
  }

  async unlink(auth: AuthContext, clientId: string, evidenceId: string, controlIds: string[]) {
    await this.dataSource.transaction(async (tx) => {
      await this.lockEvidence(tx, clientId, evidenceId);
      const before = await this.repo.findLinkedControlIds(tx, evidenceId);
      const removed = await this.repo.deleteLinks(tx, evidenceId, [...new Set(controlIds)]);
      // Unlinking what was not linked changes nothing: no event.
      if (removed.length) {
        const after = await this.repo.findLinkedControlIds(tx, evidenceId);
        await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'evidence.unlink', entityType: 'evidence', entityId: evidenceId, before: { linked: before }, after: { linked: after } });
      }
    });
    return this.get(clientId, evidenceId);
  }

  async review(auth: AuthContext, clientId: string, evidenceId: string, dto: ReviewDto) {
    await this.dataSource.transaction(async (tx) => {
      const before = await this.lockEvidence(tx, clientId, evidenceId);
      if (before.withdrawnAt) throw new ConflictException('Withdrawn evidence cannot be reviewed');
      // The same decision with the same comment again changes nothing: neither the record nor the trail.
      if (before.reviewState === dto.decision && before.reviewComment === (dto.comment ?? null)) return;
      await this.repo.setReview(tx, evidenceId, dto.decision, auth.userId, dto.comment ?? null);
      await this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId,
        action: 'evidence.review',
        entityType: 'evidence',
        entityId: evidenceId,
        before: { reviewState: before.reviewState, reviewComment: before.reviewComment },
        after: { reviewState: dto.decision, reviewComment: dto.comment ?? null },
      });
    });
    return this.get(clientId, evidenceId);
  }

  /** Evidence is never deleted through the API: withdrawn, it stops counting and stays in the record. */
  async withdraw(auth: AuthContext, clientId: string, evidenceId: string, reason: string) {
    await this.dataSource.transaction(async (tx) => {
      const before = await this.lockEvidence(tx, clientId, evidenceId);
      if (before.withdrawnAt) throw new ConflictException('The evidence is already withdrawn');
      const withdrawnAt = await this.repo.setWithdrawn(tx, evidenceId, auth.userId, reason);
      await this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId,
        action: 'evidence.withdraw',
        entityType: 'evidence',
        entityId: evidenceId,
        before: { withdrawnAt: null, withdrawReason: null },
        after: { withdrawnAt, withdrawReason: reason },
      });
    });
    return this.get(clientId, evidenceId);
  }

  private toResponse(r: EvidenceRow) {
    const { clientId: _c, ...rest } = r;
    return rest;
  }

  private async requireEvidence(clientId: string, evidenceId: string, tx?: EntityManager): Promise<EvidenceRow> {
    const row = await this.repo.findOne(clientId, evidenceId, this.readiness.today(), tx);
    if (!row) throw new NotFoundException('Evidence not found');
    return row;
  }

  private async lockEvidence(tx: EntityManager, clientId: string, evidenceId: string): Promise<EvidenceRow> {
    if (!(await this.repo.lock(tx, clientId, evidenceId))) throw new NotFoundException('Evidence not found');
    return this.requireEvidence(clientId, evidenceId, tx);
  }

  /** The distinct ids, all of which must be controls of this client; otherwise nothing happens (400). */
  private async requireControls(tx: EntityManager, clientId: string, controlIds: string[]): Promise<string[]> {
    const ids = [...new Set(controlIds)];
    if (ids.length === 0) return [];
    const found = await this.repo.findClientControlIds(clientId, ids, tx);
    if (found.length !== ids.length) throw new BadRequestException(`${ids.length - found.length} of controlIds are not controls of this client`);
    return ids;
  }

  /** The multipart text fields, checked by the same rules as every JSON body (global validation pipe). */
  private async validateFields(fields: Record<string, string | string[]>): Promise<UploadEvidenceDto> {
    return (await this.fieldsPipe.transform(fields, { type: 'body', metatype: UploadEvidenceDto })) as UploadEvidenceDto;
  }
}
