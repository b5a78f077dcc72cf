import type { CommandDeps } from './commands/deps';
import { EvidenceModule } from './commands/evidence-module';
import type { Config } from './config';
import { EvidenceService } from './evidence/evidence-service';
import { HttpFileDownloader } from './files/http-file-downloader';
import type { Logger } from './logger';
import { SqlEvidenceStore } from './store/sql-evidence-store';
import type { SqlIncidentStore } from './store/sql-incident-store';

export interface EvidenceWiring {
  config: Config;
  store: SqlIncidentStore;
  deps: CommandDeps;
  logger: Logger;
  clock: () => Date;
}

/** Composition of evidence files: download, store and module. Called once from startApp. */
export function createEvidenceModule({ config, store, deps, logger, clock }: EvidenceWiring) {
  const evidenceLogger = logger.child({ component: 'evidence' });
  const service = new EvidenceService(
    SqlEvidenceStore.sharing(store),
    new HttpFileDownloader(config.FILE_DOWNLOAD_HOSTS, evidenceLogger),
    { maxBytes: config.EVIDENCE_MAX_BYTES, fileTypes: config.EVIDENCE_FILE_TYPES },
    evidenceLogger,
    clock,
  );
  return new EvidenceModule(deps, service);
}
