/** Roles a user holds inside one client (SPEC 2). The global `admin` flag sits above them. */
export enum Role {
  Consultant = 'consultant',
  Member = 'member',
  Auditor = 'auditor',
}

/** What a route may require. Values are stable: they appear in the route-permission snapshot. */
export enum Permission {
  ClientRead = 'client.read',
  ClientUpdate = 'client.update',
  MemberRead = 'member.read',
  MemberManage = 'member.manage',
  AuditRead = 'audit.read',
  FrameworkEnroll = 'framework.enroll',
  ControlRead = 'control.read',
  /** Any field of any control of the client. */
  ControlWrite = 'control.write',
  /** Status and notes of controls the caller owns; the service checks ownership and fields. */
  ControlWriteOwn = 'control.write-own',
  EvidenceRead = 'evidence.read',
  EvidenceUpload = 'evidence.upload',
  EvidenceLink = 'evidence.link',
  EvidenceReview = 'evidence.review',
  EvidenceWithdraw = 'evidence.withdraw',
  ReportRead = 'report.read',
}

const READ: readonly Permission[] = [
  Permission.ClientRead,
  Permission.MemberRead,
  Permission.AuditRead,
  Permission.ControlRead,
  Permission.EvidenceRead,
];

/** The one role -> permission table (SPEC 4 "Permissions"). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.Consultant]: Object.values(Permission),
  [Role.Member]: [...READ, Permission.ControlWriteOwn, Permission.EvidenceUpload, Permission.EvidenceLink],
  [Role.Auditor]: [...READ, Permission.ReportRead],
};

export const roleHas = (role: Role | null, permission: Permission): boolean =>
  role !== null && ROLE_PERMISSIONS[role].includes(permission);
