import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from 'src/audit/audit.module';
import { FirstAdminService } from 'src/users/first-admin.service';
import { PasswordsService } from 'src/users/passwords.service';
import { UserEntity } from 'src/users/user.entity';
import { UsersController } from 'src/users/users.controller';
import { UsersRepository } from 'src/users/users.repository';
import { UsersService } from 'src/users/users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), AuditModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, PasswordsService, FirstAdminService],
  exports: [UsersService, PasswordsService],
})
export class UsersModule {}
