import { AuthContext } from 'src/auth/auth-context';
import { Permission } from 'src/auth/permission';

/**
 * What the caller's role lets them do in this client, for deciding which controls to render. Read from the one
 * role -> permission table through AuthContext.can; the server enforces the same rules on every request anyway.
 */
export function capabilities(auth: AuthContext) {
  const can = {
    editControls: auth.can(Permission.ControlWrite),
    editOwnControls: auth.can(Permission.ControlWriteOwn),
    enroll: auth.can(Permission.FrameworkEnroll),
    manageMembers: auth.can(Permission.MemberManage),
    upload: auth.can(Permission.EvidenceUpload),
    link: auth.can(Permission.EvidenceLink),
    review: auth.can(Permission.EvidenceReview),
    withdraw: auth.can(Permission.EvidenceWithdraw),
    reports: auth.can(Permission.ReportRead),
    readOnly: false,
  };
  can.readOnly = !Object.entries(can).some(([k, v]) => v === true && k !== 'reports');
  return can;
}

export type Capabilities = ReturnType<typeof capabilities>;
