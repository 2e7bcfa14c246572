import { INestApplicationContext } from '@nestjs/common';

import { AuthContext } from 'src/auth/auth-context';
import { Role } from 'src/auth/permission';
import { ClientsService } from 'src/clients/clients.service';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { ControlChangesDto, ControlRowDto, ControlsQueryDto, ControlStatus } from 'src/controls/controls.dto';
import { ControlsService } from 'src/controls/controls.service';
import { EnrollmentsService } from 'src/controls/enrollments.service';
import { DEMO_CLIENT, DEMO_EVIDENCE, DEMO_MEMBERS, controlPlan, DemoPerson, NOT_APPLICABLE } from 'src/demo/demo-plan';
import { multipartRequest } from 'src/demo/multipart-request';
import { ReviewState } from 'src/evidence/evidence.dto';
import { EvidenceService } from 'src/evidence/evidence.service';
import { ClientReadinessDto } from 'src/readiness/readiness.dto';
import { ReadinessService } from 'src/readiness/readiness.service';
import { UserEntity } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { addDays } from 'src/common/dates';

export interface DemoPersonSummary {
  email: string;
  name: string;
  role: Role;
  /** Set when this run created the user: shown once. */
  temporaryPassword?: string;
}

export type DemoResult =
  | { created: false; clientId: string; name: string }
  | {
      created: true;
      clientId: string;
      name: string;
      people: DemoPersonSummary[];
      controlsChanged: number;
      evidence: { title: string; reviewState: ReviewState; validUntil: string | null }[];
      readiness: ClientReadinessDto;
    };


/** The first admin: the one created from ADMIN_EMAIL on the first start, else the first admin by email. */
async function firstAdmin(users: UsersService, config: AppConfig): Promise<UserEntity> {
  const bootstrap = await users.findByEmail(config.adminEmail ?? 'admin@localhost');
  if (bootstrap?.isAdmin && bootstrap.active) return bootstrap;
  for (let page = 1; ; page++) {
    const { items } = await users.list({ page, pageSize: 500 });
    const admin = items.find((u) => u.isAdmin && u.active);
    if (admin) return (await users.findByEmail(admin.email))!;
    if (items.length < 500) throw new Error('No active admin user: start the service once so that it creates the first admin');
  }
}

/**
 * Adds the sample client "Northwind Health (demo)" through the services, as a consultant would through the API:
 * the first admin becomes its consultant, two members are invited, SOC 2 and HIPAA are enrolled, owners, due
 * dates (some past), statuses and scoping are set, and evidence is uploaded, linked and reviewed (accepted, one
 * expiring within 30 days, pending, rejected). Every change is audited like any other. Does nothing when a client
 * of that name exists, so it can run again safely.
 */
export async function seedDemo(app: INestApplicationContext): Promise<DemoResult> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const users = app.get(UsersService);
  const clients = app.get(ClientsService);
  const enrollments = app.get(EnrollmentsService);
  const controls = app.get(ControlsService);
  const evidence = app.get(EvidenceService);
  const readiness = app.get(ReadinessService);

  const admin = await firstAdmin(users, config);
  const adminAuth = new AuthContext(admin.id, admin.email, true);
  const existing = (await clients.list(adminAuth, { search: DEMO_CLIENT.name, pageSize: 50 })).items.find((c) => c.name.toLowerCase() === DEMO_CLIENT.name.toLowerCase());
  if (existing) return { created: false, clientId: existing.id, name: existing.name };

  const client = await clients.create(adminAuth, { name: DEMO_CLIENT.name, description: DEMO_CLIENT.description });
  const consultant = adminAuth.withClient(client.id, Role.Consultant);
  const people: DemoPersonSummary[] = [{ email: admin.email, name: admin.name, role: Role.Consultant }];
  const authOf: Record<DemoPerson, AuthContext> = { consultant } as Record<DemoPerson, AuthContext>;
  for (const m of DEMO_MEMBERS) {
    const added = await clients.addMember(consultant, client.id, { email: m.email, name: m.name, role: Role.Member });
    authOf[m.key] = new AuthContext(added.userId, added.email, false, Role.Member, client.id);
    people.push({ email: added.email, name: added.name, role: Role.Member, ...(added.temporaryPassword ? { temporaryPassword: added.temporaryPassword } : {}) });
  }
  for (const key of DEMO_CLIENT.frameworks) await enrollments.enroll(consultant, client.id, key);

  // Owner, status and due date per control, applied as one bulk change per distinct combination.
  const today = readiness.today();
  const rows: ControlRowDto[] = (await controls.list(client.id, { pageSize: 500 } as ControlsQueryDto)).items;
  const byRef = new Map(rows.map((r) => [`${r.framework}|${r.ref}`, r.id]));
  const groups = new Map<string, { set: ControlChangesDto; ids: string[] }>();
  for (const row of rows) {
    const plan = controlPlan(row.framework, row.ref);
    const set: ControlChangesDto = {
      ...(plan.owner ? { ownerId: authOf[plan.owner].userId } : {}),
      ...(plan.status !== ControlStatus.NotStarted ? { status: plan.status } : {}),
      ...(plan.dueInDays !== null ? { dueDate: addDays(today, plan.dueInDays) } : {}),
    };
    if (Object.keys(set).length === 0) continue;
    const key = JSON.stringify(set);
    if (!groups.has(key)) groups.set(key, { set, ids: [] });
    groups.get(key)!.ids.push(row.id);
  }
  let controlsChanged = 0;
  for (const g of groups.values()) controlsChanged += (await controls.bulk(consultant, client.id, { ids: g.ids, set: g.set })).changed;
  for (const na of NOT_APPLICABLE) {
    const ids = rows.filter((r) => r.framework === na.framework && na.refs.test(r.ref)).map((r) => r.id);
    if (ids.length === 1) await controls.update(consultant, client.id, ids[0], { applicable: false, justification: na.justification });
    else if (ids.length > 1) controlsChanged += (await controls.bulk(consultant, client.id, { ids, set: { applicable: false, justification: na.justification } })).changed;
  }

  const uploaded: { title: string; reviewState: ReviewState; validUntil: string | null }[] = [];
  for (const e of DEMO_EVIDENCE) {
    const controlIds = e.links.map((l) => byRef.get(`${l.framework}|${l.ref}`)).filter((id): id is string => id !== undefined);
    const effectiveDate = addDays(today, e.effectiveInDays);
    const validUntil = e.validForDays === null ? null : addDays(today, e.validForDays);
    const fields: Record<string, string | string[]> = { title: e.title, effectiveDate, ...(validUntil ? { validUntil } : {}), ...(controlIds.length ? { controlIds } : {}) };
    const req = multipartRequest(fields, { filename: e.filename, contentType: e.contentType, bytes: Buffer.from(e.content) });
    const row = await evidence.upload(authOf[e.uploadedBy], client.id, req);
    if (e.review !== ReviewState.Pending) await evidence.review(consultant, client.id, row.id, { decision: e.review, comment: e.comment });
    uploaded.push({ title: e.title, reviewState: e.review, validUntil });
  }

  return {
    created: true,
    clientId: client.id,
    name: client.name,
    people,
    controlsChanged,
    evidence: uploaded,
    readiness: await readiness.forClient(client.id),
  };
}
