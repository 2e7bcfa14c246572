import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { type FrameworkKey } from 'src/catalogs/catalog-files';
import { CatalogsService } from 'src/catalogs/catalogs.service';
import { ControlsRepository } from 'src/controls/controls.repository';

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly repo: ControlsRepository,
    private readonly catalogs: CatalogsService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  list(clientId: string) {
    return this.repo.findEnrollments(clientId);
  }

  /** Enrolls the client: one control per current requirement, created in one statement. */
  async enroll(auth: AuthContext, clientId: string, key: FrameworkKey) {
    const framework = await this.catalogs.requireFramework(key);
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.repo.insertEnrollment(tx, clientId, framework.id, auth.userId))) {
        throw new ConflictException(`The client is already enrolled in ${key}`);
      }
      const { created, total } = await this.repo.createControls(tx, clientId, framework.id);
      await this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId,
        action: 'framework.enroll',
        entityType: 'client_framework',
        entityId: key,
        after: { framework: key, version: framework.version, controls: total, created },
      });
    });
    return (await this.repo.findEnrollments(clientId)).find((e) => e.framework === key)!;
  }

  /** Ends the enrollment; controls, evidence links and history are kept and come back on re-enrollment. */
  async unenroll(auth: AuthContext, clientId: string, key: FrameworkKey) {
    const framework = await this.catalogs.requireFramework(key);
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.repo.closeEnrollment(tx, clientId, framework.id, auth.userId))) {
        throw new NotFoundException(`The client is not enrolled in ${key}`);
      }
      await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'framework.unenroll', entityType: 'client_framework', entityId: key, before: { framework: key } });
    });
  }
}
