import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { AppConfig, DatabaseTimeouts } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { dataSourceOptions, isEmbedded, runMigrations } from 'src/database/data-source';
import { EmbeddedDatabase, startEmbeddedDatabase } from 'src/database/embedded-database';
import { LongWork } from 'src/database/long-work';

export const DATABASE_TARGET = Symbol('DATABASE_TARGET');

/** Where the database is: the configured server, or the embedded PGlite started here. */
@Injectable()
export class DatabaseTarget implements OnApplicationShutdown {
  private embeddedDb?: EmbeddedDatabase;
  url!: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get poolSize(): number {
    return this.config.databasePoolSize;
  }

  get timeouts(): DatabaseTimeouts {
    return this.config.databaseTimeouts;
  }

  get embedded(): boolean {
    return this.embeddedDb !== undefined;
  }

  async start(): Promise<this> {
    if (this.config.databaseUrl) {
      this.url = this.config.databaseUrl;
    } else {
      this.embeddedDb = await startEmbeddedDatabase(this.config.dataDir);
      this.url = this.embeddedDb.url;
    }
    return this;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embeddedDb?.stop().catch(() => undefined);
  }
}

@Module({
  providers: [
    DatabaseTarget,
    { provide: DATABASE_TARGET, inject: [DatabaseTarget], useFactory: (t: DatabaseTarget) => t.start() },
  ],
  exports: [DATABASE_TARGET],
})
class DatabaseTargetModule {}

/** The database connection of the whole service, and LongWork (per-operation timeouts) for every module. */
@Global()
@Module({
  providers: [LongWork],
  exports: [LongWork],
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseTargetModule],
      inject: [DATABASE_TARGET],
      useFactory: (target: DatabaseTarget) => ({
        ...dataSourceOptions(target.url, { embedded: target.embedded, poolSize: target.poolSize, timeouts: target.timeouts }),
        autoLoadEntities: true,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource, { embedded: isEmbedded(options!) });
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
