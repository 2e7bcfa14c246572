import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from 'src/audit/audit.module';
import { AccessRepository } from 'src/auth/access.repository';
import { AccessService } from 'src/auth/access.service';
import { ApiTokenEntity } from 'src/auth/api-token.entity';
import { ApiTokensRepository } from 'src/auth/api-tokens.repository';
import { AuthController } from 'src/auth/auth.controller';
import { AuthService } from 'src/auth/auth.service';
import { AuthGuard } from 'src/auth/guards/auth.guard';
import { LoginGuard } from 'src/auth/guards/login.guard';
import { JWT_SECRET, jwtSecretProvider } from 'src/auth/jwt-secret.provider';
import { SignInLimitStore } from 'src/auth/sign-in-limit.store';
import { SignInLimiter } from 'src/auth/sign-in-limiter.service';
import { ApiTokenStrategy } from 'src/auth/strategies/api-token.strategy';
import { JwtStrategy } from 'src/auth/strategies/jwt.strategy';
import { LocalStrategy } from 'src/auth/strategies/local.strategy';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [
    TypeOrmModule.forFeature([ApiTokenEntity]),
    PassportModule,
    UsersModule,
    AuditModule,
    JwtModule.registerAsync({
      extraProviders: [jwtSecretProvider],
      inject: [APP_CONFIG, JWT_SECRET],
      useFactory: (config: AppConfig, secret: string) => ({
        secret,
        signOptions: { expiresIn: config.jwtTtl as `${number}h`, algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AccessService,
    AccessRepository,
    ApiTokensRepository,
    jwtSecretProvider,
    LocalStrategy,
    JwtStrategy,
    ApiTokenStrategy,
    LoginGuard,
    SignInLimitStore,
    SignInLimiter,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [AccessService, AuthService, JWT_SECRET],
})
export class AuthModule {}
