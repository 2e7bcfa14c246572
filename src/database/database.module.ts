import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';

import type { AppConfig, DatabaseTimeouts } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { dataSourceOptions, EMBEDDED_POOL_SIZE } from 'src/database/data-source';
import { openServiceDataSource } from 'src/database/database-startup';
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

  /** Migrations run as this role when set; the service then logs in as the restricted DATABASE_URL role. */
  get ownerUrl(): string | undefined {
    return this.config.databaseOwnerUrl;
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

/** What the startup needs to know, carried through TypeORM's options (the factory sees only them). */
const STARTUP = Symbol('crt.database.startup');
type StartupOptions = DataSourceOptions & {
  [STARTUP]: { url: string; ownerUrl?: string; embedded: boolean; poolSize: number; timeouts: DatabaseTimeouts };
};
const serviceUrls = (o: DataSourceOptions) => (o as StartupOptions)[STARTUP];
const withRole = (o: DataSourceOptions, role?: string): Partial<DataSourceOptions> => {
  const s = serviceUrls(o);
  return dataSourceOptions(s.url, { embedded: s.embedded, poolSize: s.poolSize, role, timeouts: s.timeouts });
};

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
        [STARTUP]: {
          url: target.url,
          ownerUrl: target.ownerUrl,
          embedded: target.embedded || target.poolSize === EMBEDDED_POOL_SIZE,
          poolSize: target.poolSize,
          timeouts: target.timeouts,
        },
      }),
      // Migrations as the owner, then the service's own pool as the restricted role (src/database/service-role.ts).
      dataSourceFactory: (options) => openServiceDataSource(serviceUrls(options!), (role) => ({ ...options!, ...withRole(options!, role) }) as DataSourceOptions),
    }),
  ],
})
export class DatabaseModule {}
