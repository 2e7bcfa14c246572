import { Inject, Injectable, Logger, NotFoundException, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { findOrFail } from 'src/common/errors';
import { LongWork } from 'src/database/long-work';
import { EVIDENCE_STORAGE, type EvidenceStorage } from 'src/evidence/storage/evidence-storage';
import { ReadinessService } from 'src/readiness/readiness.service';
import { createEvidencePackage } from 'src/reports/evidence-package';
import { buildGapReport } from 'src/reports/gap-report';
import { renderGapReportCsv } from 'src/reports/gap-report.csv';
import { renderGapReportPdf } from 'src/reports/pdf/gap-report.pdf';
import { GapReportDto, GapReportQueryDto } from 'src/reports/reports.dto';
import { ReportsRepository } from 'src/reports/reports.repository';

type ReportFile = 'gap-analysis.pdf' | 'gap-analysis.json' | 'gap-analysis.csv' | 'evidence-package.zip';

const TYPES: Record<ReportFile, string> = {
  'gap-analysis.pdf': 'application/pdf',
  'gap-analysis.json': 'application/json; charset=utf-8',
  'gap-analysis.csv': 'text/csv; charset=utf-8',
  'evidence-package.zip': 'application/zip',
};

/** ASCII file-name part from a client name: "Zürich Café" -> "zurich-cafe". */
const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'client';

@Injectable()
export class ReportsService {
  private readonly logger = new Logger('ReportsService');

  constructor(
    private readonly repo: ReportsRepository,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    private readonly longWork: LongWork,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The gap report of a client for one enrolled framework or all of them. The numbers are ReadinessService's, for
   * the same day as the control states listed with them, read in one snapshot with the long statement timeout.
   */
  buildModel(auth: AuthContext, clientId: string, framework?: string): Promise<GapReportDto> {
    return this.longWork.read((tx) => this.readModel(tx, auth, clientId, framework));
  }

  private async readModel(tx: EntityManager, auth: AuthContext, clientId: string, framework?: string): Promise<GapReportDto> {
    const today = this.readiness.today();
    const clientName = await findOrFail(this.repo.findClientName(clientId, tx), 'Client');
    const user = await findOrFail(this.repo.findUser(auth.userId, tx), 'User');
    const readiness = await this.readiness.forClient(clientId, today, tx);
    const auditChainHead = await this.audit.chainHead(clientId, tx);
    const frameworks = framework ? readiness.frameworks.filter((f) => f.framework === framework) : readiness.frameworks;
    if (framework && frameworks.length === 0) throw new NotFoundException(`The client is not enrolled in ${framework}`);
    const keys = frameworks.map((f) => f.framework);
    const controls = await this.repo.findControls(clientId, keys, today, tx);
    const evidence = await this.repo.findEvidence(clientId, keys, tx);
    return buildGapReport({
      clientId,
      clientName,
      preparedBy: { name: user.name, email: user.email },
      readiness: { ...readiness, frameworks },
      controls,
      evidence,
      generatedAt: new Date(),
      auditChainHead,
    });
  }

  async gapAnalysisPdf(auth: AuthContext, clientId: string, q: GapReportQueryDto): Promise<StreamableFile> {
    const report = await this.buildModel(auth, clientId, q.framework);
    const pdf = await renderGapReportPdf(report);
    return this.download(auth, report, 'gap-analysis.pdf', q.framework, () => pdf);
  }

  async gapAnalysisJson(auth: AuthContext, clientId: string, q: GapReportQueryDto): Promise<StreamableFile> {
    const report = await this.buildModel(auth, clientId, q.framework);
    return this.download(auth, report, 'gap-analysis.json', q.framework, () => Readable.from([Buffer.from(JSON.stringify(report))], { objectMode: false }));
  }

  async gapAnalysisCsv(auth: AuthContext, clientId: string, q: GapReportQueryDto): Promise<StreamableFile> {
    const report = await this.buildModel(auth, clientId, q.framework);
    return this.download(auth, report, 'gap-analysis.csv', q.framework, () => renderGapReportCsv(report));
  }

  /** The PDF of every enrolled framework, each linked current evidence file and the manifests, as one streamed zip. */
  async evidencePackage(auth: AuthContext, clientId: string): Promise<StreamableFile> {
    const report = await this.buildModel(auth, clientId);
    const pdf = await renderGapReportPdf(report);
    return this.download(auth, report, 'evidence-package.zip', undefined, () => createEvidencePackage(report, pdf, (sha256) => this.storage.read(sha256)));
  }

  /**
   * Records the download, then starts the content stream and hands it over: the event is committed before the first
   * byte is produced. A stream that fails later is logged; the response is then a 500 if nothing was sent yet, else
   * cut off, never ended as if complete.
   */
  private async download(auth: AuthContext, report: GapReportDto, file: ReportFile, framework: string | undefined, content: () => Readable) {
    await this.dataSource.transaction((tx) =>
      this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId: report.clientId,
        action: 'report.download',
        entityType: 'report',
        entityId: file,
        after: {
          file,
          framework: framework ?? null,
          frameworks: report.frameworks.map((f) => ({ framework: f.framework, version: f.version, score: f.score })),
          evidenceFiles: report.evidence.length,
        },
      }),
    );
    const [stem, ext] = file.split('.');
    return new StreamableFile(content(), {
      type: TYPES[file],
      disposition: contentDisposition(`${stem}-${slug(report.clientName)}-${report.asOf}.${ext}`, { type: 'attachment' }),
    }).setErrorHandler((err, handle) => {
      this.logger.error(`${file} of client ${report.clientId} failed: ${err.stack ?? err.message}`);
      const res = handle as unknown as Response; // the Express response Nest hands over
      if (res.headersSent) res.destroy();
      else res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: `The ${file} could not be produced` });
    });
  }
}
