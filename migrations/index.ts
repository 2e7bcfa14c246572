import { CreateIdentityTenancyAudit1763900000000 } from './1763900000000-CreateIdentityTenancyAudit';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [CreateIdentityTenancyAudit1763900000000];
