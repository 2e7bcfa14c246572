import { CreateIdentityTenancyAudit1763900000000 } from './1763900000000-CreateIdentityTenancyAudit';
import { CreateCatalogs1763900100000 } from './1763900100000-CreateCatalogs';
import { CreateControlsAndEvidence1763900200000 } from './1763900200000-CreateControlsAndEvidence';
import { IndexEvidenceLinkByControl1763901000000 } from './1763901000000-IndexEvidenceLinkByControl';
import { StoreControlEvidenceHorizon1763901100000 } from './1763901100000-StoreControlEvidenceHorizon';
import { AddUserAccountFlags1764100000000 } from './1764100000000-AddUserAccountFlags';
import { AllowSameClientNameAcrossTenants1764100100000 } from './1764100100000-AllowSameClientNameAcrossTenants';
import { CreateSignInLimit1764150000000 } from './1764150000000-CreateSignInLimit';
import { ChainAuditEvents1764200000000 } from './1764200000000-ChainAuditEvents';
import { CreateEvidenceUploadPending1764300000000 } from './1764300000000-CreateEvidenceUploadPending';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [
  CreateIdentityTenancyAudit1763900000000,
  CreateCatalogs1763900100000,
  CreateControlsAndEvidence1763900200000,
  IndexEvidenceLinkByControl1763901000000,
  StoreControlEvidenceHorizon1763901100000,
  AddUserAccountFlags1764100000000,
  AllowSameClientNameAcrossTenants1764100100000,
  CreateSignInLimit1764150000000,
  ChainAuditEvents1764200000000,
  CreateEvidenceUploadPending1764300000000,
];
