import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';

import { IsAccountEmail } from 'src/common/email';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** An optional duration in milliseconds, at most an hour; `min` 0 means 0 disables it. */
const Millis = (name: string, min: 0 | 1): PropertyDecorator => {
  const message = `${name} must be an integer number of milliseconds (${min} to 3600000${min === 0 ? ', 0 disables' : ''})`;
  return applyDecorators(Transform(toInt), IsOptional(), IsInt({ message }), Min(min, { message }), Max(3_600_000, { message }));
};

/**
 * Every environment variable the service reads. `process.env` is read in this file only
 * (loadConfig's default argument); everything else receives the typed, frozen AppConfig.
 */
class EnvDto {
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'PORT must be an integer between 1 and 65535' })
  @Min(1)
  @Max(65535)
  PORT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Migrations (and the service role's grants) run as this role; DATABASE_URL is then the restricted service role. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_OWNER_URL?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer between 1 and 100' })
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE?: number;

  @Millis('DATABASE_CONNECT_TIMEOUT_MS', 1)
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  @Millis('DATABASE_STATEMENT_TIMEOUT_MS', 0)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @Millis('DATABASE_QUERY_TIMEOUT_MS', 0)
  DATABASE_QUERY_TIMEOUT_MS?: number;

  @Millis('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 0)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS?: number;

  @Millis('DATABASE_LONG_STATEMENT_TIMEOUT_MS', 1)
  DATABASE_LONG_STATEMENT_TIMEOUT_MS?: number;

  @Millis('DATABASE_KEEPALIVE_MS', 0)
  DATABASE_KEEPALIVE_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsAccountEmail('ADMIN_EMAIL must be an email address (e.g. admin@example.com or admin@localhost)')
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;

  /** Warning: a weak secret lets anyone mint tokens. When absent, a random one is generated and kept under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** Warning: whoever holds it can re-seal a rewritten audit trail. When absent, generated and kept under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUDIT_HMAC_KEY must be at least 32 characters long' })
  AUDIT_HMAC_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+[smhd]$/, { message: 'JWT_TTL must look like 30m, 12h or 7d' })
  JWT_TTL?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'UPLOAD_MAX_BYTES must be an integer number of bytes' })
  @Min(1)
  UPLOAD_MAX_BYTES?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'EVIDENCE_SWEEP_HOURS must be an integer number of hours (0 disables the sweep)' })
  @Min(0)
  @Max(24 * 365)
  EVIDENCE_SWEEP_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'UPLOAD_TEMP_MAX_AGE_SECONDS must be an integer number of seconds (at least 1)' })
  @Min(1)
  UPLOAD_TEMP_MAX_AGE_SECONDS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'LOGIN_RATE_LIMIT must be an integer between 1 and 1000000' })
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'LOGIN_ADDRESS_RATE_LIMIT must be an integer between 1 and 1000000' })
  @Min(1)
  @Max(1_000_000)
  LOGIN_ADDRESS_RATE_LIMIT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CATALOGS_DIR?: string;

  /** Warning: trusting X-Forwarded-* from anyone lets clients pick their own IP (and dodge the login limit). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(false|true|\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*)$/, {
    message: 'TRUST_PROXY must be false, true, a hop count, loopback/linklocal/uniquelocal, or addresses/subnets',
  })
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'S3_ENDPOINT must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name' })
  S3_BUCKET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_REGION?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  /** Warning: a secret; never logged. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;
}

export interface AppConfig {
  readonly port: number;
  /** undefined: run the embedded PGlite database under dataDir */
  readonly databaseUrl?: string;
  /** Set: migrations run as this owner role and DATABASE_URL is the service role (only INSERT/SELECT on audit_event). */
  readonly databaseOwnerUrl?: string;
  /** Connections to DATABASE_URL per instance (the embedded database always has one). */
  readonly databasePoolSize: number;
  /** How long the service waits on the database server (not on the embedded one): see DatabaseTimeouts. */
  readonly databaseTimeouts: DatabaseTimeouts;
  readonly dataDir: string;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  readonly jwtSecret?: string;
  /** Seals the audit chain; undefined: generated and kept in dataDir/audit-hmac-key. */
  readonly auditHmacKey?: string;
  readonly jwtTtl: string;
  readonly uploadMaxBytes: number;
  /** Hours between sweeps of unreferenced evidence bytes; 0 disables them. */
  readonly evidenceSweepHours: number;
  /** Upload temporary files not written to for this long are leftovers of a crash, removed on start and by the sweep. */
  readonly uploadTempMaxAgeMs: number;
  readonly logLevel: LogLevel;
  /** Failed sign-ins in a row for one account from one address before that pair is blocked for a while. */
  readonly loginRateLimit: number;
  /** Failed sign-ins per hour from one address, whatever the accounts tried. */
  readonly loginAddressRateLimit: number;
  readonly catalogsDir: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe (client IP, Secure cookies). */
  readonly trustProxy: boolean | number | string;
  /** Set when evidence is stored in an S3-compatible bucket; otherwise on local disk under dataDir/evidence. */
  readonly s3?: { endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string };
}

/**
 * Bounds on every wait for the database server, so that a stopped or frozen server answers 503 instead of hanging.
 * Milliseconds; 0 disables the ones that may be disabled.
 */
export interface DatabaseTimeouts {
  /** Opening a connection (TCP, TLS, authentication) and waiting for a free one in the pool. */
  readonly connectMs: number;
  /** Server side: one statement (PostgreSQL `statement_timeout`). */
  readonly statementMs: number;
  /** Client side: one query's answer; a frozen server cannot enforce its own statement_timeout. */
  readonly queryMs: number;
  /** Server side: a session left idle inside a transaction is ended (`idle_in_transaction_session_timeout`). */
  readonly idleInTransactionMs: number;
  /** Statements of long work (reports, exports, verification), set per transaction with `SET LOCAL`. */
  readonly longStatementMs: number;
  /** TCP keepalive: idle time before the first probe. */
  readonly keepAliveMs: number;
}

export class ConfigError extends Error {}

const parseTrustProxy = (v: string | undefined): boolean | number | string =>
  v === undefined || v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v;

/** Validates the environment once and fails listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dto = plainToInstance(EnvDto, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(dto, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `  - ${m}`));
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const dataDir = resolve(dto.DATA_DIR ?? './data');
  if ((dto.S3_ACCESS_KEY_ID === undefined) !== (dto.S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError('Invalid configuration:\n  - S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  }
  if (dto.DATABASE_OWNER_URL && !dto.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  - DATABASE_OWNER_URL requires DATABASE_URL (the service role)');
  }
  const statementMs = dto.DATABASE_STATEMENT_TIMEOUT_MS ?? 15_000;
  const databaseTimeouts = {
    connectMs: dto.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000,
    statementMs,
    queryMs: dto.DATABASE_QUERY_TIMEOUT_MS ?? (statementMs === 0 ? 0 : statementMs + 5_000),
    idleInTransactionMs: dto.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? 30_000,
    longStatementMs: dto.DATABASE_LONG_STATEMENT_TIMEOUT_MS ?? 300_000,
    keepAliveMs: dto.DATABASE_KEEPALIVE_MS ?? 10_000,
  };
  // The server must get to cancel a slow statement (a clean error, the transaction rolled back) before the client
  // gives up on the connection; a client timeout at or below the statement timeout would turn every slow query into
  // a dropped connection.
  if (databaseTimeouts.queryMs !== 0 && (databaseTimeouts.statementMs === 0 || databaseTimeouts.queryMs <= databaseTimeouts.statementMs)) {
    throw new ConfigError('Invalid configuration:\n  - DATABASE_QUERY_TIMEOUT_MS must be greater than DATABASE_STATEMENT_TIMEOUT_MS (and 0 when the statement timeout is 0)');
  }
  if (!dto.S3_BUCKET && (dto.S3_ENDPOINT || dto.S3_ACCESS_KEY_ID)) {
    throw new ConfigError('Invalid configuration:\n  - S3_BUCKET is required when S3_ENDPOINT or S3 credentials are set');
  }
  return Object.freeze({
    port: dto.PORT ?? 3000,
    databaseUrl: dto.DATABASE_URL,
    databaseOwnerUrl: dto.DATABASE_OWNER_URL,
    databasePoolSize: dto.DATABASE_POOL_SIZE ?? 10,
    databaseTimeouts: Object.freeze(databaseTimeouts),
    dataDir,
    adminEmail: dto.ADMIN_EMAIL,
    adminPassword: dto.ADMIN_PASSWORD,
    jwtSecret: dto.JWT_SECRET,
    auditHmacKey: dto.AUDIT_HMAC_KEY,
    jwtTtl: dto.JWT_TTL ?? '12h',
    uploadMaxBytes: dto.UPLOAD_MAX_BYTES ?? 100 * 1024 * 1024,
    evidenceSweepHours: dto.EVIDENCE_SWEEP_HOURS ?? 24,
    uploadTempMaxAgeMs: (dto.UPLOAD_TEMP_MAX_AGE_SECONDS ?? 3600) * 1000,
    logLevel: dto.LOG_LEVEL ?? 'info',
    loginRateLimit: dto.LOGIN_RATE_LIMIT ?? 10,
    loginAddressRateLimit: dto.LOGIN_ADDRESS_RATE_LIMIT ?? 100,
    catalogsDir: resolve(dto.CATALOGS_DIR ?? './controls'),
    trustProxy: parseTrustProxy(dto.TRUST_PROXY),
    s3: dto.S3_BUCKET
      ? {
          endpoint: dto.S3_ENDPOINT,
          bucket: dto.S3_BUCKET,
          region: dto.S3_REGION ?? 'us-east-1',
          accessKeyId: dto.S3_ACCESS_KEY_ID,
          secretAccessKey: dto.S3_SECRET_ACCESS_KEY,
        }
      : undefined,
  });
}

/** For entry points (service, scripts): the validated config, or the list of bad variables on stderr and exit 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
}
