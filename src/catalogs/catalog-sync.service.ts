import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { readCatalogSet } from 'src/catalogs/catalog-files';
import { CatalogSyncRepository, SyncCounts } from 'src/catalogs/catalog-sync.repository';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { LongWork } from 'src/database/long-work';

export interface SyncReport {
  file: string;
  skipped: boolean;
  sections?: SyncCounts;
  requirements?: SyncCounts;
  links?: SyncCounts;
}

export class CatalogError extends Error {}

@Injectable()
export class CatalogSyncService implements OnApplicationBootstrap {
  private readonly logger = new Logger('CatalogSyncService');

  constructor(
    private readonly repo: CatalogSyncRepository,
    private readonly longWork: LongWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const reports = await this.sync(this.config.catalogsDir);
    const changed = reports.filter((r) => !r.skipped).map((r) => r.file);
    this.logger.log(`Catalogs loaded in ${Date.now() - started} ms; ${changed.length ? `changed: ${changed.join(', ')}` : 'no change'}`);
  }

  /**
   * Loads every catalog and mapping file into the database in one transaction. A file whose SHA-256 equals the
   * last one loaded is skipped, so a second start changes nothing; a changed file updates only the rows that
   * differ, and each load is recorded with the file's hash and version.
   */
  async sync(dir: string): Promise<SyncReport[]> {
    const set = readCatalogSet(dir);
    if (set.errors.length) throw new CatalogError(`Catalog files in ${dir} are invalid:\n  ${set.errors.join('\n  ')}`);
    // Long work: on a first start this loads every catalog, and a second instance starting beside it waits for the
    // lock meanwhile; neither may fall to the statement timeout meant for requests.
    return this.longWork.run(async (tx) => {
      await this.repo.lock(tx);
      const reports: SyncReport[] = [];
      let catalogsChanged = false;
      for (const c of set.catalogs) {
        if ((await this.repo.lastLoadedSha(tx, c.file)) === c.sha256) {
          reports.push({ file: c.file, skipped: true });
          continue;
        }
        catalogsChanged = true;
        const { id } = await this.repo.upsertFramework(tx, c.data.framework);
        const sections = await this.repo.syncSections(tx, id, c.data);
        const requirements = await this.repo.syncRequirements(tx, id, c.data);
        await this.repo.recordLoad(tx, c.file, c.data.framework.version, c.sha256, { sections, requirements });
        reports.push({ file: c.file, skipped: false, sections, requirements });
      }
      for (const m of set.mappings) {
        // A catalog change can revive requirements a mapping names, so mappings reload whenever a catalog did.
        if (!catalogsChanged && (await this.repo.lastLoadedSha(tx, m.file)) === m.sha256) {
          reports.push({ file: m.file, skipped: true });
          continue;
        }
        const links = await this.repo.syncMappings(tx, m.file, m.data);
        await this.repo.recordLoad(tx, m.file, null, m.sha256, { links });
        reports.push({ file: m.file, skipped: false, links });
      }
      return reports;
    });
  }
}
