import { CreateIdentityTenancyAudit1763900000000 } from './1763900000000-CreateIdentityTenancyAudit';
import { CreateCatalogs1763900100000 } from './1763900100000-CreateCatalogs';
import { CreateControlsAndEvidence1763900200000 } from './1763900200000-CreateControlsAndEvidence';
import { IndexEvidenceLinkByControl1763901000000 } from './1763901000000-IndexEvidenceLinkByControl';
import { StoreControlEvidenceHorizon1763901100000 } from './1763901100000-StoreControlEvidenceHorizon';
import { CreateEvidenceUploadPending1764300000000 } from './1764300000000-CreateEvidenceUploadPending';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [CreateIdentityTenancyAudit1763900000000, CreateCatalogs1763900100000, CreateControlsAndEvidence1763900200000, IndexEvidenceLinkByControl1763901000000, StoreControlEvidenceHorizon1763901100000, CreateEvidenceUploadPending1764300000000];
