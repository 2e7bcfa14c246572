import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { toIsoDay } from 'src/common/dates';
import { both } from 'src/database/long-work';
import { ClientReadinessDto, FrameworkReadinessDto, FrameworkReadinessSummaryDto, ReadinessCountsDto } from 'src/readiness/readiness.dto';
import { ReadinessRepository, ReadinessRow } from 'src/readiness/readiness.repository';

const EMPTY: ReadinessCountsDto = { score: null, applicable: 0, met: 0, partial: 0, gap: 0, notApplicable: 0, overdue: 0, unowned: 0, expiringEvidence: 0 };

const counts = (r: ReadinessRow): ReadinessCountsDto => ({
  score: r.score,
  applicable: r.applicable,
  met: r.met,
  partial: r.partial,
  gap: r.gap,
  notApplicable: r.notApplicable,
  overdue: r.overdue,
  unowned: r.unowned,
  expiringEvidence: r.expiringEvidence,
});

/** The one implementation of SPEC 3's numbers, used by the API, the web UI and the reports. */
@Injectable()
export class ReadinessService {
  constructor(private readonly repo: ReadinessRepository) {}

  /** Today's date in UTC, the day evidence validity and due dates are judged against. */
  today(): string {
    return toIsoDay(new Date());
  }

  /** `tx`: read inside the caller's transaction (a report's snapshot). */
  async forClient(clientId: string, today = this.today(), tx?: EntityManager): Promise<ClientReadinessDto> {
    const [enrolled, rows] = await both(
      tx,
      () => this.repo.findEnrolled([clientId], tx),
      () => this.repo.compute([clientId], today, true, tx),
    );
    const frameworks: FrameworkReadinessDto[] = enrolled.map((e) => {
      const mine = rows.filter((r) => r.framework === e.framework);
      const total = mine.find((r) => r.sectionRef === null);
      const sections = mine
        .filter((r) => r.sectionRef !== null)
        .sort((a, b) => a.position - b.position)
        .map((r) => ({ ref: r.sectionRef!, title: r.sectionTitle!, ...counts(r) }));
      return { framework: e.framework, name: e.name, version: e.version, ...(total ? counts(total) : EMPTY), sections };
    });
    return { clientId, asOf: today, frameworks };
  }

  /** Framework totals for many clients at once (dashboard): two queries, whatever the number of clients. */
  async summaries(clientIds: string[], today = this.today()): Promise<Map<string, FrameworkReadinessSummaryDto[]>> {
    const result = new Map<string, FrameworkReadinessSummaryDto[]>(clientIds.map((id) => [id, []]));
    if (clientIds.length === 0) return result;
    const [enrolled, rows] = await Promise.all([this.repo.findEnrolled(clientIds), this.repo.compute(clientIds, today, false)]);
    const byKey = new Map(rows.map((r) => [`${r.clientId}|${r.framework}`, r]));
    for (const e of enrolled) {
      const row = byKey.get(`${e.clientId}|${e.framework}`);
      result.get(e.clientId)!.push({ framework: e.framework, name: e.name, version: e.version, ...(row ? counts(row) : EMPTY) });
    }
    return result;
  }
}
