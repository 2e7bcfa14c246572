import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Role } from 'src/auth/permission';

@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the client exists, and the user's role in it (null when not a member), in one query. */
  async findClientRole(clientId: string, userId: string): Promise<{ exists: boolean; role: Role | null }> {
    const rows: { role: Role | null }[] = await this.dataSource.query(
      `SELECT m.role FROM client c
         LEFT JOIN client_member m ON m.client_id = c.id AND m.user_id = $2
        WHERE c.id = $1`,
      [clientId, userId],
    );
    return { exists: rows.length > 0, role: rows[0]?.role ?? null };
  }
}
