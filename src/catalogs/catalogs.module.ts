import { Module } from '@nestjs/common';

import { CatalogSyncRepository } from 'src/catalogs/catalog-sync.repository';
import { CatalogSyncService } from 'src/catalogs/catalog-sync.service';
import { CatalogsController } from 'src/catalogs/catalogs.controller';
import { CatalogsRepository } from 'src/catalogs/catalogs.repository';
import { CatalogsService } from 'src/catalogs/catalogs.service';

@Module({
  controllers: [CatalogsController],
  providers: [CatalogsService, CatalogsRepository, CatalogSyncService, CatalogSyncRepository],
  exports: [CatalogsService, CatalogSyncService],
})
export class CatalogsModule {}
