import { Module } from '@nestjs/common';
import { join } from 'node:path';

import { AuditModule } from 'src/audit/audit.module';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { EvidenceAdminController } from 'src/evidence/evidence-admin.controller';
import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';
import { EvidenceSweepScheduler } from 'src/evidence/evidence-sweep.scheduler';
import { EvidenceController } from 'src/evidence/evidence.controller';
import { EvidenceObjectsRepository } from 'src/evidence/evidence-objects.repository';
import { EvidenceStoreService } from 'src/evidence/evidence-store.service';
import { EvidenceRepository } from 'src/evidence/evidence.repository';
import { EvidenceService } from 'src/evidence/evidence.service';
import { EVIDENCE_STORAGE } from 'src/evidence/storage/evidence-storage';
import { LocalDiskStorage } from 'src/evidence/storage/local-disk.storage';
import { S3Storage } from 'src/evidence/storage/s3.storage';
import { ReadinessModule } from 'src/readiness/readiness.module';

@Module({
  imports: [AuditModule, ReadinessModule],
  controllers: [EvidenceController, EvidenceAdminController],
  providers: [
    EvidenceService,
    EvidenceIntegrityService,
    EvidenceSweepScheduler,
    EvidenceRepository,
    EvidenceObjectsRepository,
    EvidenceStoreService,
    {
      provide: EVIDENCE_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.s3 ? new S3Storage(config.s3) : new LocalDiskStorage(join(config.dataDir, 'evidence'))),
    },
  ],
  exports: [EvidenceService, EvidenceIntegrityService, EVIDENCE_STORAGE],
})
export class EvidenceModule {}
