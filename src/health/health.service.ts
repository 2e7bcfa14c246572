import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const DB_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(): Promise<{ status: 'ok' | 'degraded'; database: 'up' | 'down' }> {
    const ping = this.dataSource.query('SELECT 1').then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DB_TIMEOUT_MS).unref());
    const up = await Promise.race([ping, timeout]).catch(() => false);
    return { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' };
  }
}
