import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';

/**
 * Runs the evidence sweep every EVIDENCE_SWEEP_HOURS (0 disables it). Every instance schedules it; the sweep's
 * PostgreSQL advisory lock lets only one of them work at a time (SPEC 7: scheduled work runs once). On start, before
 * serving, it removes the upload temporary files a killed process left behind (whatever EVIDENCE_SWEEP_HOURS says).
 */
@Injectable()
export class EvidenceSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvidenceSweepScheduler');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly integrity: EvidenceIntegrityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.integrity.removeStaleTempFiles();
    } catch (e) {
      this.logger.error(`Removing stale upload temporary files failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const hours = this.config.evidenceSweepHours;
    if (hours <= 0) return;
    this.timer = setInterval(() => void this.tick(), hours * 60 * 60 * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One sweep; failures are logged, never thrown into the timer. */
  async tick(): Promise<void> {
    try {
      const removed = await this.integrity.sweep();
      if (removed === null) this.logger.log('Evidence sweep skipped: another instance is sweeping');
      else this.logger.log(`Evidence sweep removed ${removed.length} unreferenced objects`);
    } catch (e) {
      this.logger.error(`Evidence sweep failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
