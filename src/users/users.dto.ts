import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';

import { PageMetaDto, PaginationQueryDto } from 'src/common/pagination.dto';
import { OptionalField, ValidateString, ValidateUUID } from 'src/common/validation';
import { UserEntity } from 'src/users/user.entity';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class EmailField {
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  @ApiProperty({ format: 'email', maxLength: 254 })
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
  createdAt: u.createdAt,
});

/** Audit snapshot: never the password hash. */
export const userSnapshot = (u: UserEntity) => ({ email: u.email, name: u.name, isAdmin: u.isAdmin, active: u.active });
