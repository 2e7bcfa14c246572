import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { OptionalField, ValidateEmail, ValidateString, ValidateUUID } from 'src/common/validation';
import { UserEntity } from 'src/users/user.entity';

export class EmailField {
  @ValidateEmail()
  email: string;
}

export class CreateUserDto extends EmailField {
  @ValidateString({ max: 200 })
  name: string;

  @ValidateString({ min: 12, max: 256, description: 'At least 12 characters' })
  password: string;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional({ default: false })
  isAdmin?: boolean;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional({ default: false, description: 'May create clients (admins always may)' })
  canCreateClients?: boolean;
}

export class UpdateUserDto {
  @ValidateString({ max: 200, optional: true })
  name?: string;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional()
  isAdmin?: boolean;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'false deactivates the user: every session and API token stops working' })
  active?: boolean;

  @OptionalField()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'May create clients (admins always may)' })
  canCreateClients?: boolean;

  @ValidateString({ min: 12, max: 256, optional: true, description: 'Sets a new password' })
  password?: string;
}

export class UserParams {
  @ValidateUUID()
  userId: string;
}

export class UsersQueryDto extends PaginationQueryDto {
  @ValidateString({ max: 200, optional: true })
  search?: string;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty() isAdmin: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'May create clients (admins always may)' }) canCreateClients: boolean;
  @ApiProperty({ description: 'Signs in with a one-time password and must choose a new one first' }) passwordChangeRequired: boolean;
  @ApiProperty() createdAt: Date;
}

export class UserPageDto extends PageMetaDto {
  @ApiProperty({ type: [UserResponseDto] }) items: UserResponseDto[];
}

export const toUserResponse = (u: UserEntity): UserResponseDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: u.isAdmin,
  active: u.active,
  canCreateClients: u.canCreateClients,
  passwordChangeRequired: u.passwordChangeRequired,
  createdAt: u.createdAt,
});

/** Audit snapshot: never the password hash. */
export const userSnapshot = (u: UserEntity) => ({ email: u.email, name: u.name, isAdmin: u.isAdmin, active: u.active, canCreateClients: u.canCreateClients });
