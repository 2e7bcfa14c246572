import { ApiProperty } from '@nestjs/swagger';

import { ApiTokenEntity } from 'src/auth/api-token.entity';
import { ValidateString, ValidateUUID } from 'src/common/validation';
import { UserEntity } from 'src/users/user.entity';
import { EmailField } from 'src/users/users.dto';

export class LoginDto extends EmailField {
  @ValidateString({ max: 256 })
  password: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty() isAdmin: boolean;
  @ApiProperty({ description: 'May create clients (always true for admins)' }) canCreateClients: boolean;
  @ApiProperty({ description: 'Signed in with a one-time password: POST /auth/password before anything else' }) passwordChangeRequired: boolean;
}

export const toMe = (u: UserEntity): MeDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: u.isAdmin,
  canCreateClients: u.isAdmin || u.canCreateClients,
  passwordChangeRequired: u.passwordChangeRequired,
});

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: '12h' }) expiresIn: string;
  @ApiProperty({ description: 'The password was one-time: every route but POST /auth/password and GET /auth/me answers 403 until it is changed' })
  passwordChangeRequired: boolean;
  @ApiProperty({ type: MeDto }) user: MeDto;
}

export class ChangePasswordDto {
  @ValidateString({ max: 256 })
  currentPassword: string;

  @ValidateString({ min: 12, max: 256, description: 'At least 12 characters, different from the current password' })
  newPassword: string;
}

export class CreateApiTokenDto {
  @ValidateString({ max: 100, description: 'What the token is for, e.g. "CI export script"' })
  name: string;
}

export class ApiTokenParams {
  @ValidateUUID()
  tokenId: string;
}

export class ApiTokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the token, to recognise it' }) prefix: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
}

export class CreatedApiTokenDto extends ApiTokenResponseDto {
  @ApiProperty({ description: 'The token itself. Shown once: only its hash is stored.' }) token: string;
}

export const toApiTokenResponse = (t: ApiTokenEntity): ApiTokenResponseDto => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});
