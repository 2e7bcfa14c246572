import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from 'src/audit/audit.module';
import { ClientEntity, ClientMemberEntity } from 'src/clients/client.entity';
import { ClientsController } from 'src/clients/clients.controller';
import { ClientsRepository } from 'src/clients/clients.repository';
import { ClientsService } from 'src/clients/clients.service';
import { MembersController } from 'src/clients/members.controller';
import { ReadinessModule } from 'src/readiness/readiness.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity, ClientMemberEntity]), UsersModule, AuditModule, ReadinessModule],
  controllers: [ClientsController, MembersController],
  providers: [ClientsService, ClientsRepository],
  exports: [ClientsService],
})
export class ClientsModule {}
